/**
 * What the HTTP server hands to route modules registered through `routes` (alerts …): the role check
 * and the clock. Types only.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { UserRole } from '../config.js';

export interface RouteContext {
  allow(roles: readonly UserRole[]): (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
  clock: () => number;
}
