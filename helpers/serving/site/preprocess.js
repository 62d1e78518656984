// Preprocesado de la página: la traducción de prepare_image y prepare_photo
// (helpers/serving/preprocess.py).
// Si cambias uno, cambia el otro: una prueba con node (web/tests/preprocess.test.mjs) y otra en
// Chromium comprueban que la página y Python dan lo mismo.

export const SIZE = 28;

// RGBA (0–255) → RGB de 8 bits con la transparencia sobre blanco (como helpers.images.to_rgb).
function toRGB8(rgba, width, height) {
  const rgb = new Uint8Array(3 * width * height);
  for (let i = 0; i < width * height; i++) {
    const alpha = rgba[4 * i + 3] / 255;
    for (let c = 0; c < 3; c++) rgb[3 * i + c] = Math.round(rgba[4 * i + c] * alpha + 255 * (1 - alpha));
  }
  return rgb;
}

// RGBA → gris de 8 bits como Pillow: RGB sobre blanco y luego convert("L") (ITU-R 601 con enteros).
export function toGray8(rgba, width, height) {
  const rgb = toRGB8(rgba, width, height);
  const gray = new Uint8Array(width * height);
  for (let i = 0; i < width * height; i++) {
    gray[i] = (rgb[3 * i] * 19595 + rgb[3 * i + 1] * 38470 + rgb[3 * i + 2] * 7471 + 0x8000) >> 16;
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

// rows · (plano / 255 − shift) · colsᵀ (como _reduce): «plane(y, x)» lee un píxel de 8 bits;
// «rows» y «cols» son matrices de cobertura (size × alto, size × ancho) y «top», «left» dónde
// empieza la imagen dentro de ellas.
function reduce(plane, width, height, rows, cols, top, left, shift) {
  const size = rows.length;
  const partial = Array.from({ length: size }, () => new Float64Array(width));
  for (let o = 0; o < size; o++) {
    for (let y = 0; y < height; y++) {
      const w = rows[o][top + y];
      if (w === 0) continue;
      for (let x = 0; x < width; x++) partial[o][x] += w * (plane(y, x) / 255 - shift);
    }
  }
  const out = new Float64Array(size * size);
  for (let o = 0; o < size; o++) {
    for (let q = 0; q < size; q++) {
      let sum = 0;
      for (let x = 0; x < width; x++) sum += partial[o][x] * cols[q][left + x];
      out[o * size + q] = sum;
    }
  }
  return out;
}

// El cuadrado centrado relleno de «background», reducido a SIZE × SIZE sin construirlo (como
// _padded_resize): el relleno aporta «background» a cada píxel y solo la imagen suma más.
function paddedResize(gray8, width, height, background) {
  const side = Math.max(width, height);
  const top = Math.floor((side - height) / 2);
  const left = Math.floor((side - width) / 2);
  const weights = coverage(side, SIZE); // sirve para filas y columnas: el cuadrado es cuadrado
  const plane = (y, x) => gray8[y * width + x];
  return reduce(plane, width, height, weights, weights, top, left, background).map((v) => background + v);
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

// Para los modelos de fotos (como prepare_photo): la foto entera estirada a side × side en color,
// valores en 0–255, en orden alto × ancho × canal.
export function preparePhoto(rgba, width, height, side) {
  const rgb = toRGB8(rgba, width, height);
  const rows = coverage(height, side);
  const cols = coverage(width, side);
  const out = new Float32Array(side * side * 3);
  for (let c = 0; c < 3; c++) {
    const plane = (y, x) => rgb[3 * (y * width + x) + c];
    const reduced = reduce(plane, width, height, rows, cols, 0, 0, 0);
    for (let i = 0; i < side * side; i++) out[3 * i + c] = Math.min(255, Math.max(0, 255 * reduced[i]));
  }
  return out;
}

// Alto × ancho × canal → la disposición de la ficha del modelo ("NHWC" tal cual, "NCHW" transpuesta).
export function toLayout(hwc, side, channels, layout) {
  if (layout === "NHWC" || channels === 1) return hwc;
  const chw = new Float32Array(hwc.length);
  for (let i = 0; i < side * side; i++) {
    for (let c = 0; c < channels; c++) chw[c * side * side + i] = hwc[channels * i + c];
  }
  return chw;
}
