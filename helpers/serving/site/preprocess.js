// Preprocesado de la página: la traducción de prepare_image (helpers/serving/preprocess.py).
// Si cambias uno, cambia el otro: una prueba con node (web/tests/preprocess.test.mjs) y otra en
// Chromium comprueban que la página y Python dan lo mismo.

export const SIZE = 28;

// RGBA (0–255) → gris de 8 bits como Pillow: la transparencia sobre blanco y luego convert("L")
// (ITU-R 601 con enteros).
export function toGray8(rgba, width, height) {
  const gray = new Uint8Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const alpha = rgba[4 * i + 3] / 255;
    const [r, g, b] = [0, 1, 2].map((c) => Math.round(rgba[4 * i + c] * alpha + 255 * (1 - alpha)));
    gray[i] = (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
  }
  return gray;
}

// Qué fracción de cada píxel de entrada cae en cada píxel de salida (como _coverage en Python).
function coverage(nIn, nOut) {
  const scale = nIn / nOut;
  const weights = Array.from({ length: nOut }, () => new Float64Array(nIn));
  for (let out = 0; out < nOut; out++) {
    const start = out * scale;
    const stop = (out + 1) * scale;
    for (let p = Math.floor(start); p < Math.min(Math.ceil(stop), nIn); p++) {
      weights[out][p] = Math.max(0, Math.min(stop, p + 1) - Math.max(start, p)) / scale;
    }
  }
  return weights;
}

function median(values) {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// Reduce a SIZE × SIZE el cuadrado centrado relleno de «background» sin construirlo (como
// _padded_resize): el relleno aporta «background» a cada píxel y solo la imagen suma más.
function paddedResize(gray8, width, height, background) {
  const side = Math.max(width, height);
  const top = Math.floor((side - height) / 2);
  const left = Math.floor((side - width) / 2);
  const weights = coverage(side, SIZE); // sirve para filas y columnas: el cuadrado es cuadrado
  const partial = Array.from({ length: SIZE }, () => new Float64Array(width));
  for (let o = 0; o < SIZE; o++) {
    for (let y = 0; y < height; y++) {
      const w = weights[o][top + y];
      if (w === 0) continue;
      for (let x = 0; x < width; x++) partial[o][x] += w * (gray8[y * width + x] / 255 - background);
    }
  }
  const out = new Float64Array(SIZE * SIZE);
  for (let o = 0; o < SIZE; o++) {
    for (let q = 0; q < SIZE; q++) {
      let sum = 0;
      for (let x = 0; x < width; x++) sum += partial[o][x] * weights[q][left + x];
      out[o * SIZE + q] = background + sum;
    }
  }
  return out;
}

// ImageData de cualquier tamaño → Float32Array de 28 × 28 en [0, 1], prenda clara sobre negro.
export function prepareImage(rgba, width, height) {
  const gray = toGray8(rgba, width, height);
  const border = [];
  for (let x = 0; x < width; x++) border.push(gray[x]);
  for (let x = 0; x < width; x++) border.push(gray[(height - 1) * width + x]);
  for (let y = 0; y < height; y++) border.push(gray[y * width]);
  for (let y = 0; y < height; y++) border.push(gray[y * width + width - 1]);
  const background = median(border) / 255;
  const small = paddedResize(gray, width, height, background);
  const clip = (v) => Math.min(1, Math.max(0, v));
  return Float32Array.from(small, (v) => clip(background > 0.5 ? 1 - v : v));
}
