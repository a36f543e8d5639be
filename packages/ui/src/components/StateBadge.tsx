export function StateBadge({ type, name }: { type: string; name: string }) {
  return (
    <span className="state-badge" data-state-type={type}>
      {name}
    </span>
  );
}
