// Sign-in (online), device registration, and offline unlock against a locally stored PBKDF2 hash.
import { getJson, setToken } from "./api";
import { getMeta, setMeta } from "./db";
import type { Device, User } from "./types";

const ITERATIONS = 210_000;

function b64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

function unb64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

async function pbkdf2(password: string, salt: Uint8Array, iterations: number): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, [
    "deriveBits",
  ]);
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt: salt as BufferSource, iterations },
    key,
    256,
  );
  return b64(new Uint8Array(bits));
}

export async function hashPassword(password: string): Promise<Device["password"]> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  return { salt: b64(salt), iterations: ITERATIONS, hash: await pbkdf2(password, salt, ITERATIONS) };
}

export async function verifyPassword(password: string, stored: Device["password"]): Promise<boolean> {
  const candidate = await pbkdf2(password, unb64(stored.salt), stored.iterations);
  if (candidate.length !== stored.hash.length) return false;
  let diff = 0;
  for (let i = 0; i < candidate.length; i++) diff |= candidate.charCodeAt(i) ^ stored.hash.charCodeAt(i);
  return diff === 0;
}

export interface SignedIn {
  accessToken: string;
  user: User;
  password: string;
}

/** Step 1 (online): the OAuth2 password flow, then who am I. */
export async function signIn(email: string, password: string): Promise<SignedIn> {
  const token = await getJson<{ access_token: string }>("/auth/token", {
    form: { username: email, password },
  });
  const user = await getJson<User>("/users/me", { bearer: token.access_token });
  return { accessToken: token.access_token, user, password };
}

/** Step 2 (online): register this tablet; its long-lived token is used for everything afterwards. */
export async function registerDevice(signedIn: SignedIn, name: string): Promise<Device> {
  const registered = await getJson<{ id: string; name: string; token: string; created_at: string }>("/devices", {
    json: { name, platform: navigator.platform || null },
    bearer: signedIn.accessToken,
  });
  const device: Device = {
    id: registered.id,
    token: registered.token,
    name: registered.name,
    user: signedIn.user,
    password: await hashPassword(signedIn.password),
    registered_at: registered.created_at,
  };
  await setMeta("device", device);
  setToken(device.token);
  return device;
}

export function loadDevice(): Promise<Device | undefined> {
  return getMeta<Device>("device");
}

/** Offline unlock: the same password as at sign-in, checked on the device. */
export async function unlock(device: Device, password: string): Promise<boolean> {
  const ok = await verifyPassword(password, device.password);
  if (ok) setToken(device.token);
  return ok;
}
