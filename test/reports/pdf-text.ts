import {getDocument} from 'pdfjs-dist/legacy/build/pdf.mjs'

/** The text of each page of a PDF, read back with pdf.js (lines joined by spaces). */
export async function pdfPages(bytes: Buffer): Promise<string[]> {
  const document = await getDocument({data: new Uint8Array(bytes), useSystemFonts: false, verbosity: 0}).promise
  const pages: string[] = []
  for (let i = 1; i <= document.numPages; i++) {
    const page = await document.getPage(i)
    const content = await page.getTextContent()
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' ').replace(/\s+/g, ' '))
  }
  await document.destroy()
  return pages
}
