import type { HttpContext } from '@adonisjs/core/http'
import { readinessChecks } from '#start/health'

/**
 * Health endpoints for load balancers and orchestrators. Their bodies say
 * which check failed, never why (the reason can name hosts, files or SQL):
 * the reason is logged.
 */
export default class HealthController {
  /**
   * Liveness: 200 as long as the process serves HTTP. It touches no
   * database, so a database outage does not get every instance restarted.
   */
  async live({ response }: HttpContext) {
    return response.ok({ status: 'ok' })
  }

  /**
   * Readiness: 200 when every check of "start/health.ts" passes, 503
   * otherwise. A check that knows a reason safe to show (its `reason`
   * metadata, such as the migrations check's command to run) gets it in
   * the answer.
   */
  async ready({ response, logger }: HttpContext) {
    const report = await readinessChecks.run()
    const checks = report.checks.map(({ name, status, meta }) =>
      typeof meta?.reason === 'string' ? { name, status, reason: meta.reason } : { name, status }
    )

    if (report.isHealthy) {
      return response.ok({ status: report.status, checks })
    }

    for (const check of report.checks.filter(({ status }) => status === 'error')) {
      logger.warn({ check: check.name, err: check.meta?.error }, 'not ready: %s', check.message)
    }
    return response.serviceUnavailable({ status: report.status, checks })
  }
}
