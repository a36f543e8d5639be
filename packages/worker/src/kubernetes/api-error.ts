/** The HTTP status of a failed Kubernetes API call (client-node's ApiException keeps it as `code`). */
export const statusOf = (error: unknown): unknown => (error as { code?: unknown } | undefined)?.code;

interface KubernetesStatus {
  reason?: string;
  message?: string;
}

/**
 * A Kubernetes API call the cluster refused, told as the cluster told it. client-node's own
 * message is "HTTP-Code: 409 Message: Unknown API Status Code!" followed by the raw body and headers,
 * which says nothing a user can act on and would land on the run as it is.
 */
export class KubernetesApiError extends Error {
  override readonly name = "KubernetesApiError";
  constructor(
    readonly doing: string,
    readonly code: number,
    readonly status: KubernetesStatus,
  ) {
    const reason = status.reason ? ` ${status.reason}` : "";
    super(`the Kubernetes API refused to ${doing} (HTTP ${code}${reason}): ${status.message ?? "no message in its answer"}`);
  }
}

function statusBody(body: unknown): KubernetesStatus {
  if (typeof body === "string") {
    try {
      return statusBody(JSON.parse(body));
    } catch {
      return { message: body.slice(0, 500) };
    }
  }
  if (body && typeof body === "object") {
    const { reason, message } = body as Record<string, unknown>;
    return { reason: typeof reason === "string" ? reason : undefined, message: typeof message === "string" ? message : undefined };
  }
  return {};
}

/** Runs a Kubernetes call and turns the cluster's refusal into a KubernetesApiError; other errors (network, TLS) pass as they are. */
export async function askKubernetes<T>(doing: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const code = statusOf(error);
    if (typeof code !== "number" || error instanceof KubernetesApiError) throw error;
    throw new KubernetesApiError(doing, code, statusBody((error as { body?: unknown }).body));
  }
}
