import { describe, expect, it } from "vitest";
import { canonicalJson, comparableAnswer, markDifference, withoutPointer } from "./same-answer.ts";

describe("comparing answers across modes", () => {
  const json = (body: string, type = "application/json; charset=utf-8") => ({
    status: 200,
    headers: { "content-type": type },
    body,
  });

  it("compares JSON as values, whatever the key order or spacing", () => {
    expect(comparableAnswer(json('{"b": 1, "a": [1, {"y": 2, "x": 1}]}'))).toBe(
      comparableAnswer(json('{"a":[1,{"x":1,"y":2}],"b":1}')),
    );
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });

  it("ignores only the fields the manifest says differ by design", () => {
    const a = json('{"hello":"world","meta":{"pid":12,"at":"x"}}');
    const b = json('{"hello":"world","meta":{"pid":99,"at":"x"}}');
    expect(comparableAnswer(a, ["/meta/pid"])).toBe(comparableAnswer(b, ["/meta/pid"]));
    expect(comparableAnswer(a)).not.toBe(comparableAnswer(b));
    expect(withoutPointer({ a: [1, 2, 3] }, "/a/1")).toEqual({ a: [1, 3] });
    expect(withoutPointer({ "x/y": 1, z: 2 }, "/x~1y")).toEqual({ z: 2 });
  });

  it("compares the media type and the status, and text bodies exactly", () => {
    expect(comparableAnswer(json("Hello", "text/plain"))).toBe('200 text/plain "Hello"');
    expect(comparableAnswer({ status: 500, headers: {}, body: "x" })).toBe('500 (no content type) "x"');
  });

  it("marks the first difference in both lines", () => {
    expect(markDifference('200 application/json {"n":0}', '200 application/json {"n":1}', 5)).toEqual([
      '…{"n":[0]}',
      '…{"n":[1]}',
    ]);
  });
});
