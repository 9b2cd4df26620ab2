"""Django's format modules (settings.FORMAT_MODULE_PATH): only what differs from
Django's, to agree with agora.core.formats. Input formats stay Django's."""
