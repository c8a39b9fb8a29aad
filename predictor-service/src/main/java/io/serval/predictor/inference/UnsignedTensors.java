package io.serval.predictor.inference;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.TensorInfo.OnnxTensorType;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.Buffer;
import java.nio.ByteBuffer;

/**
 * Builds UINT16/UINT32/UINT64 tensors over a direct buffer. ONNX Runtime's Java API (1.23) has no
 * {@link OnnxJavaType} for them, although its native layer takes any element type; this calls that
 * layer the way {@code OnnxTensor.createTensor} does, through reflection on package-private members
 * of the same library version.
 */
final class UnsignedTensors {
  private static final MethodHandle CREATE_FROM_BUFFER;
  private static final MethodHandle NEW_TENSOR;
  private static final MethodHandle NEW_INFO;
  private static final long API_HANDLE;
  private static final Field DEFAULT_ALLOCATOR;
  private static final Field ALLOCATOR_HANDLE;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      Method create =
          OnnxTensor.class.getDeclaredMethod(
              "createTensorFromBuffer",
              long.class,
              long.class,
              Buffer.class,
              int.class,
              long.class,
              long[].class,
              int.class);
      create.setAccessible(true);
      CREATE_FROM_BUFFER = lookup.unreflect(create);
      Constructor<OnnxTensor> tensor =
          OnnxTensor.class.getDeclaredConstructor(
              long.class, long.class, TensorInfo.class, Buffer.class, boolean.class);
      tensor.setAccessible(true);
      NEW_TENSOR = lookup.unreflectConstructor(tensor);
      Constructor<TensorInfo> info =
          TensorInfo.class.getDeclaredConstructor(
              long[].class, OnnxJavaType.class, OnnxTensorType.class);
      info.setAccessible(true);
      NEW_INFO = lookup.unreflectConstructor(info);
      OrtEnvironment.getEnvironment();
      Field api = Class.forName("ai.onnxruntime.OnnxRuntime").getDeclaredField("ortApiHandle");
      api.setAccessible(true);
      API_HANDLE = api.getLong(null);
      DEFAULT_ALLOCATOR = OrtEnvironment.class.getDeclaredField("defaultAllocator");
      DEFAULT_ALLOCATOR.setAccessible(true);
      ALLOCATOR_HANDLE = Class.forName("ai.onnxruntime.OrtAllocator").getDeclaredField("handle");
      ALLOCATOR_HANDLE.setAccessible(true);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private UnsignedTensors() {}

  /**
   * @param data direct, native order, position..limit holds the elements
   */
  static OnnxTensor create(OrtEnvironment env, ByteBuffer data, long[] shape, OnnxTensorType type)
      throws OrtException {
    OnnxJavaType carrier =
        switch (type) {
          case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16 -> OnnxJavaType.INT16;
          case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32 -> OnnxJavaType.INT32;
          case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64 -> OnnxJavaType.INT64;
          default -> throw new IllegalArgumentException(type + " is not a wide unsigned type");
        };
    try {
      long allocator = ALLOCATOR_HANDLE.getLong(DEFAULT_ALLOCATOR.get(env));
      long handle =
          (long)
              CREATE_FROM_BUFFER.invokeExact(
                  API_HANDLE,
                  allocator,
                  (Buffer) data,
                  data.position(),
                  (long) data.remaining(),
                  shape,
                  type.value);
      TensorInfo info = (TensorInfo) NEW_INFO.invokeExact(shape, carrier, type);
      return (OnnxTensor) NEW_TENSOR.invokeExact(handle, allocator, info, (Buffer) data, false);
    } catch (OrtException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("could not create a " + type + " tensor", t);
    }
  }
}
