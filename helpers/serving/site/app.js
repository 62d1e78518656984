// Clasifica una foto subida o la imagen de la cámara con un modelo ONNX, sin servidor.
// modelos.json (lo escribe helpers.serving.webpage) trae la ficha de cada modelo (clases,
// disposición de la entrada) y los límites de la API, para aceptar y rechazar lo mismo que ella.
import { prepareImage, preparePhoto, toLayout } from "./preprocess.js";

const ort = window.ort;
ort.env.wasm.wasmPaths = new URL("vendor/", document.baseURI).href; // de npm, no de un CDN
ort.env.wasm.numThreads = 1; // varios hilos exigirían cabeceras de aislamiento entre orígenes

const $ = (selector) => document.querySelector(selector);
const status = $("#estado");
const list = $("#predicciones");
const view = $("#vista");
const work = $("#lienzo").getContext("2d", { willReadFrequently: true });
const video = $("#video");
const controls = [$("#modelo"), $("#foto"), $("#camara")];
const percent = (p) => `${(100 * p).toLocaleString("es", { minimumFractionDigits: 1, maximumFractionDigits: 1 })} %`;
let session = null;
let card = null;
let limits = null;
let camera = null; // { stream, frames, since } mientras la cámara está encendida

function setState(state, text) {
  document.body.dataset.estado = state;
  status.textContent = text;
}

function fail(text) {
  list.replaceChildren(); // nada de resultados viejos junto a un error
  view.hidden = true;
  setState("error", text);
}

async function loadModel(index, models) {
  controls.forEach((control) => { control.disabled = true; });
  session = null;
  card = models[index];
  setState("cargando", `Cargando el modelo ${card.modelo}…`);
  session = await ort.InferenceSession.create(card.modelo, { executionProviders: ["wasm"] });
  controls.forEach((control) => { control.disabled = false; });
  setState("listo", `Modelo listo (${card.descripcion || card.modelo}): elige una foto o enciende la cámara.`);
}

function checkSize(width, height) {
  if (width * height > limits.max_pixels) {
    return `La imagen tiene ${width}×${height} píxeles; el máximo es ${limits.max_pixels} píxeles en total.`;
  }
  if (Math.max(width, height) > limits.max_side) {
    return `La imagen tiene ${width}×${height} píxeles; su lado mayor no puede pasar de ${limits.max_side} píxeles.`;
  }
  return null;
}

async function classify(source, width, height) {
  const canvas = work.canvas;
  canvas.width = width;
  canvas.height = height;
  work.drawImage(source, 0, 0, width, height);
  const rgba = work.getImageData(0, 0, width, height).data;
  const hwc = card.preprocesado === "foto" ? preparePhoto(rgba, width, height, card.lado)
    : prepareImage(rgba, width, height);
  const pixels = toLayout(hwc, card.lado, card.canales, card.disposicion);
  const dims = card.disposicion === "NHWC" ? [1, card.lado, card.lado, card.canales]
    : [1, card.canales, card.lado, card.lado];
  const output = await session.run({ [session.inputNames[0]]: new ort.Tensor("float32", pixels, dims) });
  const probs = output[session.outputNames[0]].data;
  view.width = width;
  view.height = height;
  view.getContext("2d").drawImage(canvas, 0, 0);
  view.hidden = false;
  const top = Array.from(probs, (p, i) => [p, i]).sort((a, b) => b[0] - a[0]).slice(0, 3);
  list.replaceChildren(...top.map(([p, i]) => {
    const item = document.createElement("li");
    item.dataset.clase = card.clases[i];
    item.dataset.probabilidad = String(p);
    const label = document.createElement("span");
    label.textContent = `${card.clases[i]}: ${percent(p)}`;
    const bar = document.createElement("div");
    bar.className = "barra";
    bar.style.width = `${(100 * p).toFixed(1)}%`;
    item.append(label, bar);
    return item;
  }));
}

// Una imagen del disco: tamaño comprobado con la cabecera (naturalWidth) antes de dibujarla,
// que es cuando el navegador la decodifica entera. La orientación EXIF se aplica, como en Python.
function openImage(file) {
  return new Promise((resolve, reject) => {
    const image = new Image();
    const url = URL.createObjectURL(file);
    image.onload = () => { URL.revokeObjectURL(url); resolve(image); };
    image.onerror = () => { URL.revokeObjectURL(url); reject(new Error("formato")); };
    image.src = url;
  });
}

$("#foto").addEventListener("change", async (event) => {
  const input = event.target;
  const file = input.files[0];
  input.value = ""; // elegir otra vez el mismo archivo vuelve a clasificarlo
  if (!file || !session) return;
  stopCamera(); // si no, la cámara taparía la foto al instante
  if (file.size === 0) return fail("El archivo está vacío: elige una imagen (JPEG, PNG, WebP…).");
  if (file.size > limits.max_bytes) {
    return fail(`La imagen ocupa ${file.size} bytes; el máximo es ${limits.max_bytes}.`);
  }
  setState("clasificando", "Clasificando…");
  let image;
  try {
    image = await openImage(file);
  } catch {
    return fail("El archivo no es una imagen que se pueda leer (JPEG, PNG, WebP, GIF, BMP…).");
  }
  const problem = checkSize(image.naturalWidth, image.naturalHeight);
  if (problem) return fail(problem);
  try {
    await classify(image, image.naturalWidth, image.naturalHeight);
    setState("clasificado", "Las clases más probables de tu foto:");
  } catch {
    fail("No he podido clasificar esa imagen: puede estar dañada.");
  }
});

function stopCamera() {
  if (!camera) return;
  camera.stream.getTracks().forEach((track) => track.stop());
  camera = null;
  video.srcObject = null;
  $("#camara").textContent = "Encender la cámara";
  $("#en-vivo").hidden = true;
}

async function cameraLoop(current) {
  while (camera === current) { // un solo bucle: al apagar (o volver a encender) este termina
    if (video.videoWidth > 0) {
      await classify(video, video.videoWidth, video.videoHeight);
      if (camera !== current) break;
      current.frames += 1;
      const seconds = (performance.now() - current.since) / 1000;
      $("#fps").textContent = (current.frames / seconds).toLocaleString("es", { maximumFractionDigits: 1, minimumFractionDigits: 1 });
      setState("en-directo", "Las clases más probables de la imagen de la cámara:");
    }
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
}

$("#camara").addEventListener("click", async () => {
  if (camera) return stopCamera();
  const button = $("#camara");
  button.disabled = true;
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ video: true });
    video.srcObject = stream;
    await video.play();
    camera = { stream, frames: 0, since: performance.now() };
    button.textContent = "Apagar la cámara";
    $("#en-vivo").hidden = false;
    cameraLoop(camera).catch(() => { stopCamera(); fail("La cámara se ha detenido por un error al clasificar."); });
  } catch {
    fail("No hay acceso a la cámara: da permiso en el navegador o elige una foto.");
  } finally {
    button.disabled = false;
  }
});

async function main() {
  setState("cargando", "Cargando los modelos…");
  const index = await (await fetch("modelos.json")).json();
  limits = index.limites;
  const picker = $("#modelo");
  picker.replaceChildren(...index.modelos.map((model, i) => {
    const option = document.createElement("option");
    option.value = String(i);
    option.textContent = model.descripcion || model.modelo;
    return option;
  }));
  picker.addEventListener("change", () => {
    stopCamera();
    list.replaceChildren();
    view.hidden = true;
    loadModel(Number(picker.value), index.modelos).catch(() => fail("No se pudo cargar ese modelo."));
  });
  await loadModel(0, index.modelos);
}

main().catch(() => fail("No se pudo cargar el modelo: comprueba que la página se sirve por HTTP con sus archivos."));
