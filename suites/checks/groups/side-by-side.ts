/** Imported first by a file whose checks all run side by side: it sets that before they are declared. */
import { sideBySide } from "../../harness/check.ts";

sideBySide();
