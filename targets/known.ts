import { join } from "node:path";
import { kitRoot } from "../common/paths.ts";

/** The kit's own targets: the reference, and the bare node:http baseline it is measured beside. */
export const REFERENCE_MANIFEST = join(kitRoot(), "suites", "manifests", "reference.json");
export const BARE_MANIFEST = join(kitRoot(), "suites", "manifests", "bare-node.json");
