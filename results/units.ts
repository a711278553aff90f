/**
 * Number and string kinds of the result files. To TypeScript each is a plain number or string; the
 * annotations are read by `make schemas`, which writes them into the JSON schemas generated from
 * these types (a count is a whole number, a rate is never negative).
 */

/**
 * A number of things: a whole number, 0 or more.
 * @asType integer
 * @minimum 0
 */
export type Count = number;

/**
 * A whole number, 1 or more: workers, runs, connections, threads, CPUs.
 * @asType integer
 * @minimum 1
 */
export type PositiveCount = number;

/**
 * A whole number that may be negative (a process id, the change of a kernel counter).
 * @asType integer
 */
export type Integer = number;

/**
 * A measured quantity that cannot be negative: a rate, bytes, CPU seconds or cores, milliseconds.
 * @minimum 0
 */
export type NonNegative = number;

/**
 * A quantity above 0: a duration, a resolution.
 * @exclusiveMinimum 0
 */
export type Positive = number;

/**
 * A fraction of a whole, above 0 and at most 1.
 * @exclusiveMinimum 0
 * @maximum 1
 */
export type Fraction = number;

/**
 * A time, ISO 8601 in UTC (`2026-12-02T10:24:39.000Z`).
 * @pattern ^[0-9]{4}-[0-9]{2}-[0-9]{2}T
 */
export type IsoTime = string;
