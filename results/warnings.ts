/**
 * Warnings are data: a closed set of codes, each with one title and one
 * explanation, saved in the JSON, printed by the console, drawn by the dashboard.
 */
export const WARNINGS = {
  "client-bound": {
    title: "client-bound",
    explanation:
      "The load generator used most of the CPU it can use (its pinned CPUs), or, unpinned, the host's CPUs were saturated with the load generator among them: the figure is what this client could drive, not the server's capacity. Server CPU per request stays valid.",
  },
  oversubscribed: {
    title: "oversubscribed",
    explanation:
      "More server workers than the CPUs the target may use (its pinned set; unpinned, the host's CPUs less the load generator's threads): they compete for the same cores, so adding workers cannot scale here.",
  },
  errors: {
    title: "errors",
    explanation:
      "Some requests failed, timed out or answered with a status other than 2xx: the rate counts failures too.",
  },
  noisy: {
    title: "noisy",
    explanation:
      "The runs of this point vary by more than 10% (coefficient of variation): the median is uncertain.",
  },
  "concurrency-bound": {
    title: "concurrency-bound",
    explanation:
      "The route waits (I/O), and a closed-loop load of C connections cannot exceed C requests per wait (Little's law): this point reached at least 90% of that, so it shows the load's concurrency, not the server's limit. Raise --connections to find the server's.",
  },
} as const;

export type WarningCode = keyof typeof WARNINGS;
