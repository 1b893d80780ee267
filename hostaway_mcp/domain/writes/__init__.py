"""The write tools' domain: validate with reads, plan one command, preview or send it."""
