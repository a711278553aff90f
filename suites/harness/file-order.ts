/** Through which the CLI names the check files to start first: those of the requirements others depend on. */
export const FIRST_FILES_ENV = "BUSTBENCH_FIRST_FILES";

/** Through which the CLI names the check file to start last: the loads', which waits for every other file. */
export const LAST_FILE_ENV = "BUSTBENCH_LAST_FILE";
