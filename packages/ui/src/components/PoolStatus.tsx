/** READY / NOT_READY / PAUSED for pools, ONLINE / OFFLINE for workers, as a badge. */
export function StatusBadge({ status }: { status: string }) {
  const label = status === "NOT_READY" ? "Not ready" : status.charAt(0) + status.slice(1).toLowerCase();
  return (
    <span className="status-badge" data-status={status}>
      {label}
    </span>
  );
}
