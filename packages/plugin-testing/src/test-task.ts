import type { Task, TaskEvent, TaskResult } from '@marathon/plugin-api';

/** A task as the host submits it, with test defaults for every field you do not give. */
export function testTask(overrides: Partial<Task> = {}): Task {
  return {
    id: 'task-1',
    name: 'build',
    command: 'make',
    args: [],
    submitted_by: 'tester',
    submitted_at: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

/** The event of a task hook; pass `result` for post_task_execute. */
export function taskEvent(task: Partial<Task> = {}, result?: TaskResult): TaskEvent {
  return result === undefined ? { task: testTask(task) } : { task: testTask(task), result };
}
