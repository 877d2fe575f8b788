/**
 * E-mail channel through SMTP (nodemailer): one message per delivery to the officer's address, plain
 * text (alert-text.ts), with the alert id and tier in X-Simhound-* headers for mail rules. SMTP 5xx
 * answers are permanent (no such mailbox, refused); connection problems and 4xx are retried.
 * Must not retry by itself and must not log the password.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type { DeliveryRecord } from '../alert-types.js';
import { alertBody, alertTitle } from './alert-text.js';
import type { AlertChannel, ChannelAttempt } from './channel.js';

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  require_tls: boolean;
  username?: string;
  password?: string;
  ca?: Buffer;
  from: string;
}

export class EmailChannel implements AlertChannel {
  readonly name = 'email' as const;
  private readonly transport: Transporter;

  constructor(private readonly smtp: SmtpSettings, private readonly timezone: string, timeout_ms: number) {
    this.transport = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      requireTLS: smtp.require_tls,
      ...(smtp.username !== undefined ? { auth: { user: smtp.username, pass: smtp.password ?? '' } } : {}),
      ...(smtp.ca !== undefined ? { tls: { ca: smtp.ca } } : {}),
      connectionTimeout: timeout_ms,
      greetingTimeout: timeout_ms,
      socketTimeout: timeout_ms,
    });
  }

  async deliver(d: DeliveryRecord): Promise<ChannelAttempt> {
    const m = d.payload;
    try {
      const info = await this.transport.sendMail({
        from: this.smtp.from,
        to: d.target,
        subject: alertTitle(m, this.timezone),
        text: alertBody(m, this.timezone),
        headers: { 'X-Simhound-Alert-Id': m.alert_id, 'X-Simhound-Tier': m.tier, 'X-Simhound-Event': m.event, 'X-Simhound-Delivery': d.id },
      });
      return { ok: true, detail: `${info.response ?? 'accepted'} (${info.messageId})` };
    } catch (e) {
      const err = e as Error & { responseCode?: number; code?: string };
      const permanent = err.responseCode !== undefined && err.responseCode >= 500 && err.responseCode < 600;
      return { ok: false, permanent, error: `${err.code ? `${err.code}: ` : ''}${err.message.split('\n')[0]}` };
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
