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

/**
 * Fish: the same walk as bash's (a word extends the command path only when the longer path is a
 * command, so flag values such as `--pool prod` are skipped), in a function fish calls for the
 * candidates; fish filters them by what is typed.
 */
function fish(tree: CompletionTree): string {
  const cases = [...tree].map(([path, words]) => `    case ${quote(path || "_")}\n      printf '%s\\n' ${words.map(quote).join(" ")}`).join("\n");
  return `# baton completion for fish; save as ~/.config/fish/completions/baton.fish: baton completion fish > ...
function __baton_words
  switch $argv[1]
${cases}
    case '*'
      return 1
  end
end
function __baton_complete
  set -l path _
  for w in (commandline -opc)[2..-1]
    string match -q -- '-*' $w; and continue
    set -l next $w
    test $path != _; and set next "$path $w"
    __baton_words $next >/dev/null; and set path $next
  end
  __baton_words $path
end
complete -c baton -f -a '(__baton_complete)'
`;
}

export function completionScript(shell: Shell, tree: CompletionTree): string {
  return { bash, zsh, fish }[shell](tree);
}
