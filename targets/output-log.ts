export interface OutputLine {
  /** Position in the whole output, from 0, kept even when earlier lines are dropped. */
  index: number;
  stream: "stdout" | "stderr";
  /** Milliseconds since the launch. */
  atMs: number;
  text: string;
}

/**
 * A program's output with bounded memory: the first lines are kept for good
 * (start lines, banners), then a sliding window of the latest ones. Trimming
 * happens in batches, so a flood of lines costs O(1) per line.
 */
export class OutputLog {
  readonly #head: OutputLine[] = [];
  #tail: OutputLine[] = [];
  #total = 0;
  dropped = 0;

  constructor(
    private readonly headSize = 1_000,
    private readonly tailSize = 5_000,
  ) {}

  get total(): number {
    return this.#total;
  }

  push(line: Omit<OutputLine, "index">): OutputLine {
    const entry = { ...line, index: this.#total++ };
    if (this.#head.length < this.headSize) {
      this.#head.push(entry);
      return entry;
    }
    this.#tail.push(entry);
    if (this.#tail.length > 2 * this.tailSize) {
      const cut = this.#tail.length - this.tailSize;
      this.#tail = this.#tail.slice(cut);
      this.dropped += cut;
    }
    return entry;
  }

  /** Every kept line, in order (a gap after the head if lines were dropped). */
  all(): OutputLine[] {
    return [...this.#head, ...this.#tail];
  }

  /** Kept lines whose index is at least `index`. */
  since(index: number): OutputLine[] {
    if (index >= this.#total) return [];
    const tailStart = this.#tail[0]?.index ?? Number.POSITIVE_INFINITY;
    const fromHead = index < this.#head.length ? this.#head.slice(index) : [];
    const fromTail = this.#tail.slice(Math.max(0, index - tailStart));
    return [...fromHead, ...fromTail];
  }

  last(n: number): OutputLine[] {
    return this.all().slice(-n);
  }
}
