/**
 * Camera controls for the focused view (cameras that said control:true): frame size, quality,
 * LED, brightness, contrast, flips, and free JSON. Each change sends one command over the
 * view's WebSocket as {"type":"control","id":N,"command":{...}}; the log shows every command
 * with the relay's control-reply (the camera's JSON, or the error) or the failure.
 *
 * Log entries carry data-id and data-result (pending, ok, error) for tests.
 */
import * as format from './format.js';

const MAX_LOG_ENTRIES = 50;
/** Settings a status reply may report, and how to show them in the form. */
const SETTINGS = ['framesize', 'quality', 'brightness', 'contrast', 'led', 'vflip', 'hmirror'];

export class ControlPanel {
  /** @param {HTMLElement} root the #control-panel section from index.html */
  constructor(root) {
    this.root = root;
    this.form = root.querySelector('form');
    this.fieldset = root.querySelector('fieldset');
    this.log = root.querySelector('.control-log');
    this.custom = root.querySelector('[name="custom"]');
    this.note = root.querySelector('.control-note');
    this.view = null;
    this.askedStatusOf = null;

    for (const input of this.form.querySelectorAll('[data-cmd]')) {
      input.addEventListener('change', () => this.send(this.commandFor(input)));
      const output = this.form.querySelector(`output[for="${input.id}"]`);
      if (output) {
        for (const type of ['input', 'change']) input.addEventListener(type, () => (output.value = input.value));
      }
    }
    root.querySelector('[data-action="status"]').addEventListener('click', () => this.send({ cmd: 'status' }));
    root.querySelector('[data-action="led-off"]').addEventListener('click', () => {
      this.setValue('led', 0);
      this.send({ cmd: 'led', value: 0 });
    });
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.sendCustom();
    });
    root.querySelector('[data-action="clear-log"]').addEventListener('click', () => this.log.replaceChildren());
  }

  /** Shows the panel for this view (or hides it for null / a camera without control). */
  attach(view) {
    if (this.view !== view) {
      this.view = view;
      this.askedStatusOf = null;
    }
    this.refresh();
  }

  /** Called when the attached view's state changes. */
  refresh() {
    const view = this.view;
    this.root.hidden = !view || !view.control;
    if (this.root.hidden) return;
    const connected = view.state === 'live' || view.state === 'offline';
    const noSocket = !view.api.hasWebSocket();
    const refused = view.controlPermitted === false || noSocket;
    this.fieldset.disabled = !connected || refused;
    this.note.hidden = !refused && connected;
    this.note.textContent = noSocket
      ? 'Controls need the relay\'s WebSocket port, which is switched off.'
      : refused
      ? 'Controlling cameras needs the relay\'s control token: enter it with the Token button at the top.'
      : 'Controls work while the page is connected to the relay.';
    this.root.querySelector('.control-camera').textContent = view.cameraId;
    // Ask once per focus for the current settings so the form starts out truthful.
    if (view.state === 'live' && !refused && this.askedStatusOf !== view) {
      this.askedStatusOf = view;
      this.send({ cmd: 'status' }, true);
    }
  }

  commandFor(input) {
    const cmd = input.dataset.cmd;
    if (input.type === 'checkbox') return { cmd, value: input.checked };
    if (input.type === 'range' || input.type === 'number') return { cmd, value: Number(input.value) };
    return { cmd, value: input.value };
  }

  sendCustom() {
    let command;
    try {
      command = JSON.parse(this.custom.value);
    } catch (e) {
      this.addEntry(this.custom.value.trim() || '(empty)', 'error', `not valid JSON: ${e.message}`);
      return;
    }
    if (!command || typeof command !== 'object' || Array.isArray(command)) {
      this.addEntry(this.custom.value.trim(), 'error', 'a command is a JSON object, e.g. {"cmd":"status"}');
      return;
    }
    this.send(command);
  }

  /** Sends a command and logs the outcome; `applyReply` copies reported settings into the form. */
  async send(command, applyReply = false) {
    const view = this.view;
    if (!view) return;
    const entry = this.addEntry(JSON.stringify(command), 'pending', 'sending…');
    try {
      const reply = await view.sendControl(command);
      entry.dataset.id = reply.id;
      const cameraSaidNo = reply.reply && reply.reply.ok === false;
      if (reply.ok && !cameraSaidNo) {
        this.finish(entry, 'ok', `#${reply.id} ok ${JSON.stringify(reply.reply ?? {})}`);
        if (applyReply) this.applySettings(reply.reply);
      } else {
        const reason = reply.error || (reply.reply && reply.reply.error) || 'refused';
        this.finish(entry, 'error', `#${reply.id} error: ${reason}`);
      }
    } catch (e) {
      this.finish(entry, 'error', `failed: ${e.message}`);
    }
  }

  applySettings(reply) {
    if (!reply || typeof reply !== 'object') return;
    const source = reply.status && typeof reply.status === 'object' ? reply.status : reply;
    for (const name of SETTINGS) {
      if (name in source) this.setValue(name, source[name]);
    }
  }

  setValue(cmd, value) {
    const input = this.form.querySelector(`[data-cmd="${cmd}"]`);
    if (!input) return;
    if (input.type === 'checkbox') input.checked = Boolean(value);
    else if (input.tagName === 'SELECT' && typeof value === 'string') {
      if ([...input.options].some((o) => o.value === value.toUpperCase())) input.value = value.toUpperCase();
    } else input.value = String(value);
    const output = this.form.querySelector(`output[for="${input.id}"]`);
    if (output) output.value = input.value;
  }

  addEntry(commandText, result, text) {
    const entry = format.el(
      'li',
      { 'data-result': result },
      format.el('time', { text: new Date().toLocaleTimeString() }),
      format.el('code', { class: 'log-command', text: commandText }),
      format.el('span', { class: 'log-result', text }),
    );
    this.log.prepend(entry);
    while (this.log.children.length > MAX_LOG_ENTRIES) this.log.lastElementChild.remove();
    return entry;
  }

  finish(entry, result, text) {
    entry.dataset.result = result;
    entry.querySelector('.log-result').textContent = text;
  }
}
