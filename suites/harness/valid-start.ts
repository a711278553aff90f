import { Instance } from "../../targets/instance.ts";
import { currentTarget } from "./target.ts";

let measured: Promise<number | undefined> | undefined;

/**
 * How long a valid start of the target (2 workers) takes until its ready path answers 200, measured once
 * per check file: a launch given bad input that is still running well past it has not refused it
 * (refusal.ts). Undefined when the valid start does not get ready either: then only the start timeout
 * decides. The instance is reaped as soon as it is ready.
 */
export function validStartReadyMs(): Promise<number | undefined> {
  measured ??= Instance.start(currentTarget(), { workers: 2 }).then(
    async (instance) => {
      const ms = instance.readyMs;
      await instance.dispose();
      return ms;
    },
    () => undefined,
  );
  return measured;
}
