/**
 * Options that more than one command takes, each declared once as a picocli {@code @Mixin}. A command that words an
 * option's help differently, or defaults it differently, says so in its resource bundle (key: the option's long name
 * without dashes for the description, {@code default.<name>} for a default), so the flag, its type and its
 * environment variable stay one declaration.
 */
package dev.camrelay.cli.options;
