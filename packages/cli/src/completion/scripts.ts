import type { CompletionTree } from "./tree.js";

export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/**
 * Bash: the words typed so far (flags and their values skipped) walk the tree to a command path,
 * whose subcommands and flags are offered. zsh runs the same function through bashcompinit.
 */
function bash(tree: CompletionTree): string {
  const entries = [...tree].map(([path, words]) => `  [${quote(path || "_")}]=${quote(words.join(" "))}`).join("\n");
  return `# baton completion for bash; add to ~/.bashrc: source <(baton completion bash)
declare -gA _baton_tree=(
${entries}
)
_baton() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" next w i
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    [[ "$w" == -* ]] && continue
    next="\${path:+$path }$w"
    [[ -n "\${_baton_tree[$next]+set}" ]] && path="$next"
  done
  COMPREPLY=($(compgen -W "\${_baton_tree[\${path:-_}]}" -- "$cur"))
}
complete -F _baton baton
`;
}

function zsh(tree: CompletionTree): string {
  return `# baton completion for zsh; add to ~/.zshrc: source <(baton completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bash(tree).split("\n").slice(1).join("\n")}`;
}

/** Fish: each path's words, offered when the words typed so far are exactly that path. */
function fish(tree: CompletionTree): string {
  const lines = [...tree].map(([path, words]) => {
    const condition = `test (string join ' ' -- (commandline -opc | string match -v -- '-*')[2..-1]) = ${quote(path)}`;
    return `complete -c baton -f -n ${quote(condition)} -a ${quote(words.join(" "))}`;
  });
  return `# baton completion for fish; save as ~/.config/fish/completions/baton.fish: baton completion fish > ...\n${lines.join("\n")}\n`;
}

export function completionScript(shell: Shell, tree: CompletionTree): string {
  return { bash, zsh, fish }[shell](tree);
}
