package io.hodei.server.plugins;

/**
 * A plugin's state in the host.
 *
 * <pre>
 *   (file appears) ──► STARTED ──► STOPPED   (server shutting down)
 *          │              │
 *          │              └──────► FAILED    (its provider threw in initialize, or hung in a call)
 *          ├────────► FAILED    (cannot be loaded, or its provider threw while starting)
 *          └────────► REFUSED   (API version range or checksum allow-list says no, or its plugin
 *                                id or a provider type is already taken by another file)
 * </pre>
 *
 * <p>A plugin whose file is removed leaves the list; a plugin whose file changes is unloaded and
 * the new file goes through the diagram again. FAILED and REFUSED are final for that file's
 * content: replace or touch the file to try again. A REFUSED clash is retried by itself once the
 * other file is removed.
 */
public enum PluginStatus {
  STARTED,
  STOPPED,
  FAILED,
  REFUSED
}
