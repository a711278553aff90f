/** The two signals every SIGNAL check is run with, one case each. */
export const SIGNALS = ["SIGINT", "SIGTERM"] as const satisfies readonly NodeJS.Signals[];
