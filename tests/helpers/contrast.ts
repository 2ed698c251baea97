import type { Page } from 'playwright'

/**
 * The contrast of one piece of text against what is behind it.
 */
export type TextContrast = {
  /**
   * The start of the text, to recognise it in failure messages.
   */
  text: string
  color: string
  background: string
  /**
   * WCAG 2 contrast ratio, from 1 to 21.
   */
  ratio: number
}

/**
 * What a page looks like in the colour scheme it is rendered with.
 */
export type ColourReport = {
  prefersDark: boolean
  /**
   * Relative luminance of the page background (0 black, 1 white).
   */
  backgroundLuminance: number
  texts: TextContrast[]
}

/**
 * Runs in the page: measures every visible text node against the first
 * opaque background behind it (computed styles, so the colour scheme the
 * browser emulates applies). Self-contained because Playwright sends it
 * to the browser as source.
 */
function measureColours(): ColourReport {
  /**
   * Browser globals (the project's TypeScript config has no DOM library).
   */
  const { document, getComputedStyle, matchMedia, NodeFilter } = globalThis as any

  const parse = (value: string) => {
    const match = value.match(
      /^rgba?\((\d+(?:\.\d+)?),? (\d+(?:\.\d+)?),? (\d+(?:\.\d+)?)(?:,? \/? ?([\d.]+))?\)$/
    )
    if (!match) {
      throw new Error(`Unsupported colour "${value}"`)
    }
    return {
      rgb: [Number(match[1]), Number(match[2]), Number(match[3])],
      alpha: match[4] === undefined ? 1 : Number(match[4]),
    }
  }
  const luminance = ([r, g, b]: number[]) => {
    const linear = (channel: number) => {
      const c = channel / 255
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
    }
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
  }
  const backgroundOf = (element: any): string => {
    for (let current = element; current; current = current.parentElement) {
      const background = getComputedStyle(current).backgroundColor
      if (parse(background).alpha > 0) {
        return background
      }
    }
    return 'rgb(255, 255, 255)'
  }

  const texts: TextContrast[] = []
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement
    const text = node.textContent.trim()
    if (!text || element.getClientRects().length === 0) {
      continue
    }
    const color = getComputedStyle(element).color
    const background = backgroundOf(element)
    const [lighter, darker] = [luminance(parse(color).rgb), luminance(parse(background).rgb)].sort(
      (a, b) => b - a
    )
    texts.push({
      text: text.slice(0, 40),
      color,
      background,
      ratio: (lighter + 0.05) / (darker + 0.05),
    })
  }

  return {
    prefersDark: matchMedia('(prefers-color-scheme: dark)').matches,
    backgroundLuminance: luminance(parse(backgroundOf(document.body)).rgb),
    texts,
  }
}

/**
 * Measures the contrast of every text of the page in the colour scheme
 * the page is currently emulating (`page.emulateMedia({ colorScheme })`).
 */
export function colourReport(page: Page): Promise<ColourReport> {
  return page.evaluate(measureColours)
}

/**
 * The texts whose contrast is below WCAG AA for normal text (4.5:1).
 */
export function lowContrastTexts(report: ColourReport, minimum = 4.5) {
  return report.texts.filter((text) => text.ratio < minimum)
}
