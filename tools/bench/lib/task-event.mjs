// The event every hook benchmark dispatches: a task event of about 210 bytes as JSON, as the hooks
// of a real host carry.
export const taskEvent = {
  task: {
    id: 'task-000042',
    name: 'nightly-build',
    command: 'make',
    args: ['-j8', 'release'],
    submitted_by: 'ada@example.com',
    submitted_at: '2026-11-25T12:00:00.000Z',
  },
  result: { exit_code: 0, duration_ms: 1234 },
};
