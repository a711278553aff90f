import { Ajv, type ValidateFunction } from "ajv";
import { describeSchemaError } from "../../common/schema-error.ts";
import benchSchema from "./bench-1.schema.json" with { type: "json" };
import benchSchema2 from "./bench-2.schema.json" with { type: "json" };
import benchSchema3 from "./bench-3.schema.json" with { type: "json" };
import conformanceSchema from "./conformance-1.schema.json" with { type: "json" };
import conformanceSchema2 from "./conformance-2.schema.json" with { type: "json" };
import conformanceSchema3 from "./conformance-3.schema.json" with { type: "json" };
import lifecycleSchema from "./lifecycle-1.schema.json" with { type: "json" };
import lifecycleSchema2 from "./lifecycle-2.schema.json" with { type: "json" };
import lifecycleSchema3 from "./lifecycle-3.schema.json" with { type: "json" };

/** The schema of every versioned result file the kit writes, by `${kind}-${schemaVersion}`. */
export const RESULT_SCHEMAS: Readonly<Record<string, object>> = {
  "conformance-1": conformanceSchema,
  "conformance-2": conformanceSchema2,
  "conformance-3": conformanceSchema3,
  "lifecycle-1": lifecycleSchema,
  "lifecycle-2": lifecycleSchema2,
  "lifecycle-3": lifecycleSchema3,
  "bench-1": benchSchema,
  "bench-2": benchSchema2,
  "bench-3": benchSchema3,
};

let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

/**
 * The validator of one schema, compiled on first use: compiling all nine took 0.3 CPU s at every start
 * of the CLI (the conformance command, which reads no result file, paid it before its suite began).
 */
function validatorFor(key: string): ValidateFunction | undefined {
  const schema = RESULT_SCHEMAS[key];
  if (!schema) return undefined;
  let validate = validators.get(key);
  if (!validate) {
    ajv ??= new Ajv({ allErrors: true, strict: true });
    validate = ajv.compile(schema);
    validators.set(key, validate);
  }
  return validate;
}

export function validateResult(
  kind: "conformance" | "bench" | "lifecycle",
  schemaVersion: number,
  data: unknown,
): string[] {
  const validate = validatorFor(`${kind}-${schemaVersion}`);
  if (!validate) return [`no schema for ${kind} results of version ${schemaVersion}`];
  if (validate(data)) return [];
  return (validate.errors ?? []).map((error) => describeSchemaError(error));
}
