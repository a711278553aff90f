import { answeredGet } from "../../../targets/instance.ts";
import { check } from "../../harness/check.ts";
import { type Finding, fail, firstFailure } from "../../harness/outcome.ts";

function parsesAsJson(body: string): boolean {
  try {
    JSON.parse(body);
    return /^\s*[[{"]/.test(body);
  } catch {
    return false;
  }
}

check("HTTP-2", { title: "content types match the bodies", observes: true }, async (ctx) => {
  const instance = await ctx.start({ workers: 2 });
  const { root, json } = ctx.manifest.routes;
  const [rootResponse, jsonResponse] = [
    await answeredGet(instance.port, root),
    await answeredGet(instance.port, json),
  ];
  const type = (value: string | undefined) => (value ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  ctx.evidence.root = {
    path: root,
    status: rootResponse.status,
    contentType: rootResponse.headers["content-type"],
    body: rootResponse.body.slice(0, 200),
  };
  ctx.evidence.json = {
    path: json,
    status: jsonResponse.status,
    contentType: jsonResponse.headers["content-type"],
    body: jsonResponse.body.slice(0, 200),
  };
  const jsonType = type(jsonResponse.headers["content-type"]);
  const rootType = type(rootResponse.headers["content-type"]);
  const rootIsJson = parsesAsJson(rootResponse.body);
  const findings: Finding[] = [
    parsesAsJson(jsonResponse.body)
      ? { ok: true, summary: `${json} is JSON` }
      : {
          ok: false,
          outcome: fail(
            `${json} is not valid JSON`,
            "a JSON body",
            JSON.stringify(jsonResponse.body.slice(0, 80)),
          ),
        },
    jsonType === "application/json"
      ? { ok: true, summary: `sent as ${jsonType}` }
      : {
          ok: false,
          outcome: fail(
            `${json} is sent as '${jsonType || "no content type"}'`,
            "application/json",
            jsonType || "none",
          ),
        },
    rootIsJson
      ? rootType === "application/json"
        ? { ok: true, summary: `${root} is JSON sent as application/json` }
        : {
            ok: false,
            outcome: fail(
              `${root} holds JSON sent as '${rootType || "none"}'`,
              "application/json",
              rootType || "none",
            ),
          }
      : rootType.startsWith("text/")
        ? { ok: true, summary: `${root} is text sent as ${rootType}` }
        : {
            ok: false,
            outcome: fail(`${root} holds text sent as '${rootType || "none"}'`, "text/*", rootType || "none"),
          },
  ];
  return firstFailure(findings);
});
