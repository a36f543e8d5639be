export interface Colors {
  enabled: boolean;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  blue(text: string): string;
  cyan(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

/** https://no-color.org: any non-empty NO_COLOR turns colors off; so does output that is not a terminal. */
export function colorsWanted(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== "0") return true;
  return isTTY && env.TERM !== "dumb";
}

export function createColors(enabled: boolean): Colors {
  const plain = (text: string) => text;
  const pick = (open: number, close: number) => (enabled ? wrap(open, close) : plain);
  return {
    enabled,
    red: pick(31, 39),
    green: pick(32, 39),
    yellow: pick(33, 39),
    blue: pick(34, 39),
    cyan: pick(36, 39),
    dim: pick(2, 22),
    bold: pick(1, 22),
  };
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** The width a string takes on screen: escape codes take none. */
export function visibleLength(text: string): number {
  return text.replace(ANSI, "").length;
}
