import { BatonError } from "@baton/core";
import type Docker from "dockerode";
import { engineMessage, statusOf } from "./engine.js";

export class ImagePullFailed extends BatonError {
  override readonly code = "ImagePullFailed";
  override readonly status = 400;
}

export class ImageNotPresent extends BatonError {
  override readonly code = "ImageNotPresent";
  override readonly status = 400;
}

async function hasImage(docker: Docker, image: string): Promise<boolean> {
  try {
    await docker.getImage(image).inspect();
    return true;
  } catch (error) {
    if (statusOf(error) === 404) return false;
    throw error;
  }
}

/** Pull and wait for the end of the progress stream: a failure is reported inside it, not by the HTTP status. */
async function pull(docker: Docker, image: string): Promise<void> {
  const stream = await docker.pull(image);
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null) => (error ? reject(error) : resolve()),
      (event: { error?: string; errorDetail?: { message?: string } }) => {
        if (event.error) reject(new Error(event.errorDetail?.message ?? event.error));
      },
    );
  });
}

/** Make the image available as `image_pull_policy` says, or say why it is not. */
export async function ensureImage(docker: Docker, image: string, policy: "IfNotPresent" | "Always" | "Never"): Promise<void> {
  if (policy !== "Always" && (await hasImage(docker, image))) return;
  if (policy === "Never") {
    throw new ImageNotPresent(
      `ImageNotPresent: image "${image}" is not on the worker's Docker engine and image_pull_policy is Never; build or load it there (docker build / docker load), or set image_pull_policy to IfNotPresent`,
    );
  }
  try {
    await pull(docker, image);
  } catch (error) {
    throw new ImagePullFailed(
      `ImagePullFailed: could not pull image "${image}" (image_pull_policy ${policy}): ${engineMessage(error)}; check the image name and tag, that the worker's Docker engine can reach the registry and is logged in to it, or load the image on the engine and set image_pull_policy to IfNotPresent or Never`,
      { cause: error },
    );
  }
}
