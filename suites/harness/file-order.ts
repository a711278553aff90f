/** Through which the CLI names the check files to start first: those of the requirements others depend on. */
export const FIRST_FILES_ENV = "BUSTBENCH_FIRST_FILES";
