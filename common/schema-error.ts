import type { ErrorObject } from "ajv";

/** One line from Ajv's first error: the key, then what was expected. */
export function describeSchemaError(error: ErrorObject | undefined): string {
  if (!error) return "does not match the manifest schema";
  const key = error.instancePath
    ? error.instancePath
        .slice(1)
        .split("/")
        .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
        .join("")
        .replace(/^\./, "")
    : "";
  const where = key ? `${key}: ` : "";
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return `${where}missing required key '${String(params.missingProperty)}'`;
    case "additionalProperties":
      return `${where}unknown key '${String(params.additionalProperty)}'`;
    case "type":
      return `${where}must be ${article(String(params.type))}`;
    case "minItems":
      return `${where}must have at least ${String(params.limit)} item(s)`;
    case "minLength":
      return `${where}must not be empty`;
    case "pattern":
      return `${where}must match ${String(params.pattern)}`;
    case "minimum":
    case "maximum":
      return `${where}must be ${error.keyword === "minimum" ? ">=" : "<="} ${String(params.limit)}`;
    default:
      return `${where}${error.message ?? "is invalid"}`;
  }
}

function article(type: string): string {
  if (type === "array") return "an array";
  if (type === "object") return "an object";
  if (type === "integer") return "an integer";
  return `a ${type}`;
}
