// node --test: preprocess.js da lo mismo que prepare_image de Python en los casos que escribe
// tests/test_web_preprocess.py (RGBA ya decodificado y la salida de Python) en PREPROCESS_CASES.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { prepareImage, SIZE } from "../../helpers/serving/site/preprocess.js";

const cases = JSON.parse(readFileSync(process.env.PREPROCESS_CASES, "utf8"));

for (const { name, width, height, rgba, expected } of cases) {
  test(`preprocess.js = prepare_image: ${name}`, () => {
    const result = prepareImage(Uint8ClampedArray.from(rgba), width, height);
    assert.equal(result.length, SIZE * SIZE);
    const worst = Math.max(...Array.from(result, (v, i) => Math.abs(v - expected[i])));
    assert.ok(worst < 5e-3, `${name}: diferencia máxima ${worst}`);
  });
}
