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

/** Validators for every versioned result file the kit writes; each returns one-line problems. */
const ajv = new Ajv({ allErrors: true, strict: true });
const validators: Record<string, ValidateFunction> = {
  "conformance-1": ajv.compile(conformanceSchema),
  "conformance-2": ajv.compile(conformanceSchema2),
  "lifecycle-1": ajv.compile(lifecycleSchema),
  "lifecycle-2": ajv.compile(lifecycleSchema2),
  "bench-1": ajv.compile(benchSchema),
  "bench-2": ajv.compile(benchSchema2),
  "conformance-3": ajv.compile(conformanceSchema3),
  "lifecycle-3": ajv.compile(lifecycleSchema3),
  "bench-3": ajv.compile(benchSchema3),
};

export function validateResult(
  kind: "conformance" | "bench" | "lifecycle",
  schemaVersion: number,
  data: unknown,
): string[] {
  const validate = validators[`${kind}-${schemaVersion}`];
  if (!validate) return [`no schema for ${kind} results of version ${schemaVersion}`];
  if (validate(data)) return [];
  return (validate.errors ?? []).map((error) => describeSchemaError(error));
}
