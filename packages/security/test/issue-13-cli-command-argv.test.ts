// Issue 13 (4): cli_command handed the raw command line — a task's, passwords included — to every
// plugin, even one without task_read. Now its arguments reach only plugins that may read tasks.
import { PERMISSIONS } from '@marathon/plugin-api';
import { filterEvent } from '@marathon/security';

const event = { command: 'task:run', args: ['--', 'mysql', '--password=hunter2', 'db'] };

test('a plugin without task_read sees which command runs, not its arguments', () => {
  const seen = filterEvent('cli_command', event, []);
  expect(seen).toEqual({ command: 'task:run' });
  expect(JSON.stringify(seen)).not.toContain('hunter2');
});

test('every other permission together does not reveal the arguments either', () => {
  const seen = filterEvent(
    'cli_command',
    event,
    PERMISSIONS.filter((permission) => permission !== 'task_read'),
  );
  expect(seen).toEqual({ command: 'task:run' });
});

test('a plugin with task_read sees the arguments, unchanged', () => {
  expect(filterEvent('cli_command', event, ['task_read'])).toBe(event);
});

test('the event handed to the filter is not changed for the plugins after', () => {
  filterEvent('cli_command', event, []);
  expect(event.args).toEqual(['--', 'mysql', '--password=hunter2', 'db']);
});
