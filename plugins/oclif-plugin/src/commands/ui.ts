import { Flags } from '@oclif/core';
import { MarathonCommand } from '../marathon-command';
import { openBrowser } from '../ui/open-browser';
import { startUiServer } from '../ui/ui-server';

export default class Ui extends MarathonCommand {
  static override id = 'ui';
  static override summary = 'Serve the Marathon web UI on 127.0.0.1 until Ctrl-C, and print the one-time URL that opens it.';
  static override description =
    'The page shows the installed plugins (enable and disable them), their performance and the recent hook activity, ' +
    'through the same manager calls as the CLI. It is bound to 127.0.0.1 only; the printed URL carries a one-time token ' +
    'that opens one browser session; Host and Origin are checked, every change needs the session’s CSRF token, ' +
    'and a strict Content-Security-Policy lets the page load nothing but its own script and style.';
  static override examples = ['<%= config.bin %> ui', '<%= config.bin %> ui --port 8800 --open'];
  static override flags = {
    port: Flags.integer({ description: 'Port on 127.0.0.1 (0: any free port).', default: 0, min: 0, max: 65535 }),
    open: Flags.boolean({ description: 'Open the URL in the default browser.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Ui);
    const server = await startUiServer({ manager: await this.manager(), npm: this.npm(), port: flags.port });
    this.say(`Marathon UI: ${server.url}`);
    this.say('The URL works once, for one browser session. Ctrl-C stops the server.');
    if (flags.open) {
      const problem = await openBrowser(server.url);
      if (problem !== undefined) this.sayError(`⚠️ ${problem}; open the URL above by hand`);
    }
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await server.close();
  }
}
