import type { HttpContext } from '@adonisjs/core/http'

/**
 * The home page.
 */
export default class HomeController {
  async show({ view }: HttpContext) {
    return view.render('pages/home')
  }
}
