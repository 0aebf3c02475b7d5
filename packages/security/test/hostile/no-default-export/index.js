export const plugin = { commands: { attack: () => 'x' } };
