// node --test: preprocess.js da lo mismo que prepare_image y prepare_photo de Python en los casos que escribe
// tests/test_web_preprocess.py (RGBA ya decodificado y la salida de Python) en PREPROCESS_CASES.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { prepareImage, preparePhoto, SIZE } from "../../helpers/serving/site/preprocess.js";

const cases = JSON.parse(readFileSync(process.env.PREPROCESS_CASES, "utf8"));

// Prendas: valores en [0, 1]; fotos (side): en 0–255, con la misma tolerancia relativa.
for (const { name, width, height, rgba, expected, side } of cases) {
  test(`preprocess.js = Python: ${name}`, () => {
    const pixels = Uint8ClampedArray.from(rgba);
    const result = side ? preparePhoto(pixels, width, height, side) : prepareImage(pixels, width, height);
    assert.equal(result.length, side ? side * side * 3 : SIZE * SIZE);
    const scale = side ? 255 : 1;
    const worst = Math.max(...Array.from(result, (v, i) => Math.abs(v - expected[i]) / scale));
    assert.ok(worst < 5e-3, `${name}: diferencia máxima ${worst}`);
  });
}
