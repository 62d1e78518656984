// Abre la página en Chromium sin pantalla (cámara falsa) y recorre lo que haría una persona:
// esperar al modelo, subir fotos, repetir la misma, un archivo malo, una imagen enorme, la
// cámara (encender, medir, apagar, subir una foto con la cámara encendida) y cambiar a cada uno de
// los otros modelos del selector, con la misma foto.
// Escribe en JSON lo que ve. Uso: node tests/page.mjs CONFIG.json   (CHROMIUM=ruta del navegador)
import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"],
});
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const seen = { problemas: [], fotos: {} };
try {
  const context = await browser.newContext({ permissions: ["camera"] });
  const page = await context.newPage();
  page.on("pageerror", (error) => seen.problemas.push(String(error)));
  page.on("requestfailed", (request) => seen.problemas.push(`falló ${request.url()}`));
  page.on("console", (message) => { if (message.type() === "error") seen.problemas.push(message.text()); });
  await page.route("**/*.onnx", async (route) => { await sleep(800); await route.continue(); });
  await page.goto(config.url);
  seen.botones_antes_del_modelo = await page.$$eval("#foto, #camara", (els) => els.map((e) => e.disabled));
  await page.waitForSelector("body[data-estado=listo]", { timeout: 60000 });
  seen.botones_con_el_modelo = await page.$$eval("#foto, #camara", (els) => els.map((e) => e.disabled));
  seen.opciones = await page.$$eval("#modelo option", (options) => options.map((o) => o.textContent));

  const state = () => page.evaluate(() => ({
    estado: document.body.dataset.estado,
    texto: document.querySelector("#estado").textContent,
    foto_visible: !document.querySelector("#vista").hidden,
    predicciones: Array.from(document.querySelectorAll("#predicciones li"), (li) => ({
      clase: li.dataset.clase, probabilidad: Number(li.dataset.probabilidad), texto: li.textContent,
      barra: li.querySelector(".barra")?.style.width })),
  }));
  async function upload(path) {
    await page.evaluate(() => { document.body.dataset.estado = "esperando"; });
    await page.setInputFiles("#foto", path);
    await page.waitForSelector("body[data-estado=clasificado], body[data-estado=error]", { timeout: 60000 });
    return state();
  }
  for (const [name, path] of Object.entries(config.fotos)) seen.fotos[name] = await upload(path);
  seen.misma_foto_otra_vez = await upload(Object.values(config.fotos)[0]);
  seen.archivo_malo = await upload(config.archivo_malo);
  seen.demasiados_pixeles = await upload(config.demasiados_pixeles);

  await page.click("#camara");
  await page.waitForSelector("body[data-estado=en-directo]", { timeout: 30000 });
  await sleep(1500);
  seen.camara = { boton: await page.textContent("#camara"), fps: await page.textContent("#fps"),
    en_vivo: await page.isVisible("#en-vivo"), ...(await state()) };
  seen.foto_con_camara = await upload(Object.values(config.fotos)[0]);
  await sleep(700); // una cámara que siguiera encendida la habría tapado ya
  seen.foto_con_camara_despues = await state();
  seen.camara_apagada = { boton: await page.textContent("#camara"), en_vivo: await page.isVisible("#en-vivo") };

  await page.click("#camara");
  await page.waitForSelector("body[data-estado=en-directo]", { timeout: 30000 });
  await page.click("#camara");
  const fps = await page.textContent("#fps");
  await sleep(600);
  seen.tras_apagar = { fps_igual: fps === (await page.textContent("#fps")), en_vivo: await page.isVisible("#en-vivo") };

  seen.otros_modelos = {};
  for (let i = 1; i < seen.opciones.length; i++) {
    await page.selectOption("#modelo", String(i));
    await page.waitForSelector("body[data-estado=listo]", { timeout: 60000 });
    seen.otros_modelos[i] = await upload(Object.values(config.fotos)[0]);
  }
  seen.peticiones = await page.evaluate(() => performance.getEntriesByType("resource").map((r) => r.name));
  console.log(JSON.stringify(seen));
} finally {
  await browser.close();
}
