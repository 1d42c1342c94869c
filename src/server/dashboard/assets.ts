import crypto from 'node:crypto'
import fs from 'node:fs'
import {fileURLToPath} from 'node:url'

/** The status page's files, shipped in the package as they are: no front-end build step. */
export const assetsDir = fileURLToPath(new URL('../../../assets/dashboard/', import.meta.url))

export interface Asset {
  body: Buffer
  contentType: string
  etag: string
}

const TYPES: Record<string, string> = {
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
  html: 'text/html; charset=utf-8',
}

/**
 * The files a browser may fetch, read once when the server starts. A fixed list rather than a
 * static-file server: three files need no library, and no request path ever reaches the file system.
 */
export const PUBLIC_ASSETS = ['dashboard.css', 'dashboard.js', 'icon.svg'] as const

export function loadAsset(name: string): Asset {
  const body = fs.readFileSync(`${assetsDir}${name}`)
  const extension = name.slice(name.lastIndexOf('.') + 1)
  return {body, contentType: TYPES[extension] ?? 'application/octet-stream', etag: `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`}
}

export function loadPublicAssets(): Map<string, Asset> {
  return new Map(PUBLIC_ASSETS.map((name) => [name, loadAsset(name)]))
}

/** Text for an HTML page: the five characters that could open markup or end an attribute, escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** An HTML template with `{{name}}` slots, each filled with escaped text. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => escapeHtml(values[name] ?? ''))
}
