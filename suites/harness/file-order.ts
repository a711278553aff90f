/** Through which the CLI gives the order to start the check files in (the roots others depend on first). */
export const FILE_ORDER_ENV = "BUSTBENCH_FILE_ORDER";
