// Abre la página en Chromium sin pantalla, sube una imagen y escribe en JSON las 3 clases que
// muestra. Uso: node tests/classify.mjs URL IMAGEN   (CHROMIUM=ruta si no es /usr/bin/chromium)
import { chromium } from "playwright-core";

const [url, image] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(String(error)));
  page.on("requestfailed", (request) => problems.push(`falló ${request.url()}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  await page.goto(url);
  try {
    await page.waitForSelector("body[data-estado=listo]", { timeout: 60000 });
  } catch (error) {
    const status = await page.textContent("#estado");
    throw new Error(`la página no cargó el modelo: «${status}»; ${problems.join(" | ")}`);
  }
  await page.setInputFiles("#foto", image);
  await page.waitForSelector("body[data-estado=clasificado]", { timeout: 60000 });
  const predictions = await page.$$eval("#predicciones li", (items) => items.map((li) => ({
    clase: li.dataset.clase, probabilidad: Number(li.dataset.probabilidad), texto: li.textContent })));
  const requests = await page.evaluate(() => performance.getEntriesByType("resource").map((r) => r.name));
  console.log(JSON.stringify({ predicciones: predictions, peticiones: requests, problemas: problems }));
} finally {
  await browser.close();
}
