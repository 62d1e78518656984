// Clasifica una foto subida o la imagen de la cámara con el modelo ONNX, sin servidor.
import { prepareImage, SIZE } from "./preprocess.js";

const ort = window.ort;
ort.env.wasm.wasmPaths = new URL("vendor/", document.baseURI).href; // de npm, no de un CDN
ort.env.wasm.numThreads = 1; // varios hilos exigirían cabeceras de aislamiento entre orígenes

const status = document.querySelector("#estado");
const list = document.querySelector("#predicciones");
const canvas = document.querySelector("#lienzo");
const context = canvas.getContext("2d", { willReadFrequently: true });
let session;
let classNames;

function setState(state, text) {
  document.body.dataset.estado = state;
  status.textContent = text;
}

// Keras exporta (lote, 28, 28, 1) y PyTorch (lote, 1, 28, 28); con un canal, los datos son
// los mismos y solo cambia la forma declarada.
async function probabilities(pixels) {
  const name = session.inputNames[0];
  for (const dims of [[1, SIZE, SIZE, 1], [1, 1, SIZE, SIZE]]) {
    try {
      const output = await session.run({ [name]: new ort.Tensor("float32", pixels, dims) });
      return output[session.outputNames[0]].data;
    } catch (error) {
      if (dims[1] === 1) throw error;
    }
  }
}

async function classify(source, width, height) {
  canvas.width = width;
  canvas.height = height;
  context.drawImage(source, 0, 0, width, height);
  const { data } = context.getImageData(0, 0, width, height);
  const probs = await probabilities(prepareImage(data, width, height));
  const top = Array.from(probs, (p, i) => [p, i]).sort((a, b) => b[0] - a[0]).slice(0, 3);
  list.replaceChildren(...top.map(([p, i]) => {
    const item = document.createElement("li");
    item.dataset.clase = classNames[i];
    item.dataset.probabilidad = String(p);
    item.textContent = `${classNames[i]}: ${(100 * p).toLocaleString("es", { maximumFractionDigits: 1 })} %`;
    return item;
  }));
  setState("clasificado", "Las 3 clases más probables:");
}

document.querySelector("#foto").addEventListener("change", async (event) => {
  const file = event.target.files[0];
  if (!file) return;
  try {
    const bitmap = await createImageBitmap(file);
    await classify(bitmap, bitmap.width, bitmap.height);
  } catch (error) {
    setState("error", `No he podido leer esa imagen (${error.message}).`);
  }
});

document.querySelector("#camara").addEventListener("click", async () => {
  const video = document.querySelector("#video");
  try {
    video.srcObject = await navigator.mediaDevices.getUserMedia({ video: true });
  } catch (error) {
    setState("error", `No hay acceso a la cámara (${error.message}).`);
    return;
  }
  await video.play();
  const loop = async () => {
    await classify(video, video.videoWidth, video.videoHeight);
    setTimeout(loop, 300); // unas tres predicciones por segundo
  };
  loop();
});

async function main() {
  setState("cargando", "Cargando el modelo…");
  classNames = await (await fetch("clases.json")).json();
  session = await ort.InferenceSession.create("modelo.onnx", { executionProviders: ["wasm"] });
  setState("listo", "Modelo listo: elige una foto de una prenda o usa la cámara.");
}

main().catch((error) => setState("error", `No se pudo cargar el modelo: ${error.message}`));
