import type { EmuRequest, EmuResponse } from './http';
import { jsonResponse } from './http';
import type { EmulatorState } from './state';

/** API v2's global `HttpExceptionFilter` envelope. */
export function v2Error(
  state: EmulatorState,
  req: EmuRequest,
  status: number,
  code: string,
  message: string,
  details?: unknown,
  headers: Record<string, string> = {},
): EmuResponse {
  const error: Record<string, unknown> = { code, message };
  if (details !== undefined) error.details = details;
  return jsonResponse(status, { status: 'error', timestamp: state.clock.iso(), path: req.url.pathname + req.url.search, error }, headers);
}

/** class-validator failures as Nest's ValidationPipe reports them, through the global filter. */
export function v2ValidationError(state: EmulatorState, req: EmuRequest, messages: string[]): EmuResponse {
  return v2Error(state, req, 400, 'BadRequestException', messages.join(', '), { message: messages, error: 'Bad Request', statusCode: 400 });
}
