export { COMMANDS } from './commands';
export { RefusalError, type RefusalCode } from './refusal-error';
export { runTaskProcess, type TaskProcessResult } from './task-process';
