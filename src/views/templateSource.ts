import { ReadOnlyDocumentProvider } from './jsonDocuments';

export const TEMPLATE_SOURCE_SCHEME = 'cleanrooms-template';

/**
 * Analysis templates' SQL as read-only documents (language 'sql'): another member's template
 * cannot be edited in place or saved over.
 */
export class TemplateSourceProvider extends ReadOnlyDocumentProvider {
  constructor() {
    super({ scheme: TEMPLATE_SOURCE_SCHEME, language: 'sql', extension: 'sql', fallbackName: 'template', maxDocuments: 50 });
  }
}
