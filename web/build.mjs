// Construye la página en dist/: el código de src/, ONNX Runtime Web sacado de node_modules
// (instalado con npm, sin CDN) y el modelo con sus clases.
// Uso: node build.mjs RUTA/modelo.onnx [CARPETA_DE_SALIDA]   (las clases: RUTA/modelo.clases.json)
import { cpSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const [model, out = join(here, "dist")] = process.argv.slice(2);
if (!model || !existsSync(model)) {
  console.error("Uso: node build.mjs RUTA/modelo.onnx [CARPETA]. Exporta antes el modelo (cuaderno 09).");
  process.exit(1);
}
const classes = join(dirname(model), basename(model, ".onnx") + ".clases.json");
const runtime = join(here, "node_modules", "onnxruntime-web", "dist");
if (!existsSync(runtime)) {
  console.error("Falta onnxruntime-web: ejecuta `npm ci` en la carpeta web/.");
  process.exit(1);
}
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "vendor"), { recursive: true });
cpSync(join(here, "src"), out, { recursive: true });
for (const file of ["ort.wasm.min.js", "ort-wasm-simd-threaded.wasm", "ort-wasm-simd-threaded.mjs"]) {
  cpSync(join(runtime, file), join(out, "vendor", file));
}
cpSync(model, join(out, "modelo.onnx"));
cpSync(classes, join(out, "clases.json"));
console.log(`Página lista en ${out}`);
