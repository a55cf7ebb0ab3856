package dev.camrelay.cli;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * SIGHUP through {@code sun.misc.Signal}, the JDK's only signal hook, reached reflectively: naming it in source draws
 * a javac warning that no annotation can suppress. Limits: no SIGHUP on Windows, and none on a runtime without the
 * {@code jdk.unsupported} module; {@link #install} throws there.
 */
final class HangUpSignal {
  private final Class<?> signalClass;
  private final Class<?> handlerClass;
  private final Object previous;

  private HangUpSignal(Class<?> signalClass, Class<?> handlerClass, Object previous) {
    this.signalClass = signalClass;
    this.handlerClass = handlerClass;
    this.previous = previous;
  }

  /** Runs {@code onSignal} on the JVM's signal thread at each SIGHUP, in place of the handler before it. */
  static HangUpSignal install(Runnable onSignal) throws ReflectiveOperationException {
    Class<?> signalClass = Class.forName("sun.misc.Signal");
    Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
    Object handler = Proxy.newProxyInstance(HangUpSignal.class.getClassLoader(), new Class<?>[] {handlerClass},
        (proxy, method, args) -> switch (method.getName()) {
          case "handle" -> {
            onSignal.run();
            yield null;
          }
          case "equals" -> proxy == args[0];
          case "hashCode" -> System.identityHashCode(proxy);
          default -> "camrelay SIGHUP handler";
        });
    return new HangUpSignal(signalClass, handlerClass, handle(signalClass, handlerClass, handler));
  }

  /** Puts the handler that was there before {@link #install} back. */
  void restore() throws ReflectiveOperationException {
    handle(signalClass, handlerClass, previous);
  }

  /** Sends this process a SIGHUP, as {@code kill -HUP} would (for tests). */
  static void raise() throws ReflectiveOperationException {
    Class<?> signalClass = Class.forName("sun.misc.Signal");
    signalClass.getMethod("raise", signalClass).invoke(null, hup(signalClass));
  }

  private static Object handle(Class<?> signalClass, Class<?> handlerClass, Object handler)
      throws ReflectiveOperationException {
    Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
    return handle.invoke(null, hup(signalClass), handler);
  }

  private static Object hup(Class<?> signalClass) throws ReflectiveOperationException {
    return signalClass.getConstructor(String.class).newInstance("HUP");
  }
}
