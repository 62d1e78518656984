// Preprocesado de la página: la traducción línea a línea de prepare_image
// (helpers/serving/preprocess.py). Si cambias uno, cambia el otro: la prueba del navegador
// comprueba que la página y onnxruntime en Python dan la misma respuesta.

export const SIZE = 28;

// RGBA (0–255) → gris en [0, 1], como Image.convert("L") de Pillow; la transparencia, sobre blanco.
export function toGray(rgba, width, height) {
  const gray = new Float64Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const alpha = rgba[4 * i + 3] / 255;
    const [r, g, b] = [0, 1, 2].map((c) => Math.round(rgba[4 * i + c] * alpha + 255 * (1 - alpha)));
    gray[i] = ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16) / 255;
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
      weights[out][p] = (Math.min(stop, p + 1) - Math.max(start, p)) / scale;
    }
  }
  return weights;
}

// Reduce una imagen gris (alto × ancho) a size × size promediando áreas exactas.
export function areaResize(gray, height, width, size = SIZE) {
  const rows = coverage(height, size);
  const cols = coverage(width, size);
  const partial = Array.from({ length: size }, () => new Float64Array(width)); // rows @ gray
  for (let o = 0; o < size; o++) {
    for (let y = 0; y < height; y++) {
      const w = rows[o][y];
      if (w === 0) continue;
      for (let x = 0; x < width; x++) partial[o][x] += w * gray[y * width + x];
    }
  }
  const out = new Float64Array(size * size); // (rows @ gray) @ cols.T
  for (let o = 0; o < size; o++) {
    for (let q = 0; q < size; q++) {
      let sum = 0;
      for (let x = 0; x < width; x++) sum += partial[o][x] * cols[q][x];
      out[o * size + q] = sum;
    }
  }
  return out;
}

function median(values) {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// ImageData de cualquier tamaño → Float32Array de 28 × 28 en [0, 1], prenda clara sobre negro.
export function prepareImage(rgba, width, height) {
  const gray = toGray(rgba, width, height);
  const border = [];
  for (let x = 0; x < width; x++) border.push(gray[x]);
  for (let x = 0; x < width; x++) border.push(gray[(height - 1) * width + x]);
  for (let y = 0; y < height; y++) border.push(gray[y * width]);
  for (let y = 0; y < height; y++) border.push(gray[y * width + width - 1]);
  const background = median(border);
  const side = Math.max(height, width);
  const square = new Float64Array(side * side).fill(background);
  const top = Math.floor((side - height) / 2);
  const left = Math.floor((side - width) / 2);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) square[(top + y) * side + left + x] = gray[y * width + x];
  }
  const small = areaResize(square, side, side);
  return Float32Array.from(small, (v) => (background > 0.5 ? 1 - v : v));
}
