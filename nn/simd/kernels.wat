;; ConvLab's WebAssembly SIMD kernels: the hot loops of package nn's layers
;; (nn/simd_js.go calls them), for a whole batch per call.
;;
;; The module owns no memory: it imports the Go program's linear memory
;; ("go" "mem"), and every pointer argument is a byte address in it. All
;; tensors are row-major float64, laid out exactly as the Go layers keep them.
;;
;; Bit-identity with the pure-Go kernels (nn/matmul.go, nn/conv.go, ...):
;; every output element is computed by the same IEEE operations in the same
;; order as the Go code computes it, only several elements at a time (one
;; per f64x2 lane). No fused multiply-add is used (SIMD128 has none; Go
;; does not fuse on amd64), and a product's operand order does not matter
;; (IEEE multiplication is commutative). The few places where an operation
;; is skipped or reordered are argued exactly where they happen; they only
;; ever concern additions of an exact zero.
;;
;; Convolutions use "same" zero padding, stride 1, odd kernel size k and
;; p = k/2. They work on zero-padded planes of ph = h+2p rows of pw = w+2p
;; values, and compute outputs on the padded pitch: output (y, x) of a plane
;; is entry q = y·pw + x of a vector of h·pw values, whose entries with
;; x ≥ w are never used. A tap (ky, kx) of output q then reads the padded
;; input at q + ky·pw + kx, one address per tap whatever the row, so eight
;; outputs are four f64x2 loads. Callers give the padded buffers k+8 values
;; of slack at the end, because the last vectors read past the last plane.

(module
  (import "go" "mem" (memory 1))

  ;; ---------------------------------------------------------------------
  ;; Helpers

  ;; pad_planes copies `planes` planes of h×w values from src into dst as
  ;; planes of (h+2p)×(w+2p) values with a zero border of width p.
  (func $pad_planes (param $src i32) (param $dst i32) (param $planes i32)
                    (param $h i32) (param $w i32) (param $p i32)
    (local $ph i32) (local $pw i32) (local $row i32) (local $rows i32) (local $to i32)
    (local.set $ph (i32.add (local.get $h) (i32.shl (local.get $p) (i32.const 1))))
    (local.set $pw (i32.add (local.get $w) (i32.shl (local.get $p) (i32.const 1))))
    (memory.fill (local.get $dst) (i32.const 0)
      (i32.shl (i32.mul (local.get $planes) (i32.mul (local.get $ph) (local.get $pw))) (i32.const 3)))
    ;; Source rows are consecutive; row r of plane r/h lands at padded row
    ;; (r/h)·ph + r%h + p, column p.
    (local.set $rows (i32.mul (local.get $planes) (local.get $h)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $row) (local.get $rows)))
        (local.set $to
          (i32.add
            (i32.mul
              (i32.add
                (i32.add
                  (i32.mul (i32.div_u (local.get $row) (local.get $h)) (local.get $ph))
                  (i32.rem_u (local.get $row) (local.get $h)))
                (local.get $p))
              (local.get $pw))
            (local.get $p)))
        (memory.copy
          (i32.add (local.get $dst) (i32.shl (local.get $to) (i32.const 3)))
          (i32.add (local.get $src) (i32.shl (i32.mul (local.get $row) (local.get $w)) (i32.const 3)))
          (i32.shl (local.get $w) (i32.const 3)))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $next))))

  ;; unpitch copies h rows of w values, read with pitch pw from src, to the
  ;; consecutive rows of dst.
  (func $unpitch (param $src i32) (param $dst i32) (param $h i32) (param $w i32) (param $pw i32)
    (local $y i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $y) (local.get $h)))
        (memory.copy
          (i32.add (local.get $dst) (i32.shl (i32.mul (local.get $y) (local.get $w)) (i32.const 3)))
          (i32.add (local.get $src) (i32.shl (i32.mul (local.get $y) (local.get $pw)) (i32.const 3)))
          (i32.shl (local.get $w) (i32.const 3)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $next))))

  ;; rows_axpy computes, for i < n,
  ;;   dst[i] = ((dst[i] + a_0·s_0[i]) + a_1·s_1[i]) + … + a_{count-1}·s_{count-1}[i]
  ;; with a_l = f64 at coef + l·coefStride and row s_l at src + l·srcStride
  ;; (strides in bytes): the Go addRows/axpy order, eight entries at a time.
  (func $rows_axpy (param $dst i32) (param $n i32) (param $coef i32) (param $coefStride i32)
                   (param $src i32) (param $srcStride i32) (param $count i32)
    (local $i i32) (local $l i32) (local $d i32) (local $s i32) (local $c i32) (local $a v128)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128)
    ;; Blocks of eight entries.
    (block $blocksDone
      (loop $block
        (br_if $blocksDone (i32.gt_u (i32.add (local.get $i) (i32.const 8)) (local.get $n)))
        (local.set $d (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $r0 (v128.load offset=0 (local.get $d)))
        (local.set $r1 (v128.load offset=16 (local.get $d)))
        (local.set $r2 (v128.load offset=32 (local.get $d)))
        (local.set $r3 (v128.load offset=48 (local.get $d)))
        (local.set $s (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $c (local.get $coef))
        (local.set $l (i32.const 0))
        (block $rowsDone
          (loop $row
            (br_if $rowsDone (i32.ge_u (local.get $l) (local.get $count)))
            (local.set $a (v128.load64_splat (local.get $c)))
            (local.set $r0 (f64x2.add (local.get $r0) (f64x2.mul (local.get $a) (v128.load offset=0 (local.get $s)))))
            (local.set $r1 (f64x2.add (local.get $r1) (f64x2.mul (local.get $a) (v128.load offset=16 (local.get $s)))))
            (local.set $r2 (f64x2.add (local.get $r2) (f64x2.mul (local.get $a) (v128.load offset=32 (local.get $s)))))
            (local.set $r3 (f64x2.add (local.get $r3) (f64x2.mul (local.get $a) (v128.load offset=48 (local.get $s)))))
            (local.set $c (i32.add (local.get $c) (local.get $coefStride)))
            (local.set $s (i32.add (local.get $s) (local.get $srcStride)))
            (local.set $l (i32.add (local.get $l) (i32.const 1)))
            (br $row)))
        (v128.store offset=0 (local.get $d) (local.get $r0))
        (v128.store offset=16 (local.get $d) (local.get $r1))
        (v128.store offset=32 (local.get $d) (local.get $r2))
        (v128.store offset=48 (local.get $d) (local.get $r3))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $block)))
    ;; Pairs.
    (block $pairsDone
      (loop $pair
        (br_if $pairsDone (i32.gt_u (i32.add (local.get $i) (i32.const 2)) (local.get $n)))
        (local.set $d (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $r0 (v128.load (local.get $d)))
        (local.set $s (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $c (local.get $coef))
        (local.set $l (i32.const 0))
        (block $rowsDone
          (loop $row
            (br_if $rowsDone (i32.ge_u (local.get $l) (local.get $count)))
            (local.set $r0 (f64x2.add (local.get $r0)
              (f64x2.mul (v128.load64_splat (local.get $c)) (v128.load (local.get $s)))))
            (local.set $c (i32.add (local.get $c) (local.get $coefStride)))
            (local.set $s (i32.add (local.get $s) (local.get $srcStride)))
            (local.set $l (i32.add (local.get $l) (i32.const 1)))
            (br $row)))
        (v128.store (local.get $d) (local.get $r0))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $pair)))
    ;; The last odd entry.
    (if (i32.lt_u (local.get $i) (local.get $n))
      (then
        (local.set $d (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $s (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $c (local.get $coef))
        (local.set $l (i32.const 0))
        (block $rowsDone
          (loop $row
            (br_if $rowsDone (i32.ge_u (local.get $l) (local.get $count)))
            (f64.store (local.get $d) (f64.add (f64.load (local.get $d))
              (f64.mul (f64.load (local.get $c)) (f64.load (local.get $s)))))
            (local.set $c (i32.add (local.get $c) (local.get $coefStride)))
            (local.set $s (i32.add (local.get $s) (local.get $srcStride)))
            (local.set $l (i32.add (local.get $l) (i32.const 1)))
            (br $row))))))

  ;; ---------------------------------------------------------------------
  ;; Convolution

  ;; conv_forward: out = bias + Σ_taps w·in for a batch, "same" padding.
  ;;   in      batch × c × h × w
  ;;   padded  batch × c × ph × pw + (k+8) slack, written (Backward reads it)
  ;;   weight  oc × c × k × k;  bias oc
  ;;   out     batch × oc × h × w
  ;;   plane   scratch of h·pw + 8 values
  ;; Each output is s = bias; s += w_t·in_t over the taps t = (ch, ky, kx) in
  ;; that order (padding taps included, as products with +0): exactly the Go
  ;; path's im2col + mulAdd, which starts from the bias and adds one patch
  ;; row's product at a time.
  (func (export "conv_forward")
    (param $in i32) (param $padded i32) (param $weight i32) (param $bias i32)
    (param $out i32) (param $plane i32)
    (param $batch i32) (param $c i32) (param $h i32) (param $w i32) (param $oc i32) (param $k i32)
    (local $p i32) (local $ph i32) (local $pw i32) (local $padBytes i32) (local $nq i32)
    (local $b i32) (local $o i32) (local $q i32) (local $ch i32) (local $ky i32) (local $kx i32)
    (local $src i32) (local $row i32) (local $wp i32) (local $at i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $wv v128)
    (local.set $p (i32.shr_u (local.get $k) (i32.const 1)))
    (local.set $ph (i32.add (local.get $h) (i32.shl (local.get $p) (i32.const 1))))
    (local.set $pw (i32.add (local.get $w) (i32.shl (local.get $p) (i32.const 1))))
    (local.set $padBytes (i32.shl (i32.mul (local.get $c) (i32.mul (local.get $ph) (local.get $pw))) (i32.const 3)))
    (local.set $nq (i32.mul (local.get $h) (local.get $pw)))
    (call $pad_planes (local.get $in) (local.get $padded) (i32.mul (local.get $batch) (local.get $c))
      (local.get $h) (local.get $w) (local.get $p))
    (local.set $b (i32.const 0))
    (loop $example
      (local.set $src (i32.add (local.get $padded) (i32.mul (local.get $b) (local.get $padBytes))))
      (local.set $o (i32.const 0))
      (loop $channel
        (local.set $q (i32.const 0))
        (loop $block
          (local.set $a0 (v128.load64_splat (i32.add (local.get $bias) (i32.shl (local.get $o) (i32.const 3)))))
          (local.set $a1 (local.get $a0))
          (local.set $a2 (local.get $a0))
          (local.set $a3 (local.get $a0))
          (local.set $wp (i32.add (local.get $weight)
            (i32.shl (i32.mul (local.get $o) (i32.mul (local.get $c) (i32.mul (local.get $k) (local.get $k)))) (i32.const 3))))
          (local.set $ch (i32.const 0))
          (loop $inChannel
            (local.set $ky (i32.const 0))
            (loop $tapRow
              (local.set $at (i32.add (local.get $src)
                (i32.shl
                  (i32.add (i32.mul (i32.add (i32.mul (local.get $ch) (local.get $ph)) (local.get $ky)) (local.get $pw))
                           (local.get $q))
                  (i32.const 3))))
              (local.set $kx (i32.const 0))
              (loop $tap
                (local.set $wv (v128.load64_splat (local.get $wp)))
                (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $wv) (v128.load offset=0 (local.get $at)))))
                (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $wv) (v128.load offset=16 (local.get $at)))))
                (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $wv) (v128.load offset=32 (local.get $at)))))
                (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $wv) (v128.load offset=48 (local.get $at)))))
                (local.set $wp (i32.add (local.get $wp) (i32.const 8)))
                (local.set $at (i32.add (local.get $at) (i32.const 8)))
                (local.set $kx (i32.add (local.get $kx) (i32.const 1)))
                (br_if $tap (i32.lt_u (local.get $kx) (local.get $k))))
              (local.set $ky (i32.add (local.get $ky) (i32.const 1)))
              (br_if $tapRow (i32.lt_u (local.get $ky) (local.get $k))))
            (local.set $ch (i32.add (local.get $ch) (i32.const 1)))
            (br_if $inChannel (i32.lt_u (local.get $ch) (local.get $c))))
          (local.set $at (i32.add (local.get $plane) (i32.shl (local.get $q) (i32.const 3))))
          (v128.store offset=0 (local.get $at) (local.get $a0))
          (v128.store offset=16 (local.get $at) (local.get $a1))
          (v128.store offset=32 (local.get $at) (local.get $a2))
          (v128.store offset=48 (local.get $at) (local.get $a3))
          (local.set $q (i32.add (local.get $q) (i32.const 8)))
          (br_if $block (i32.lt_u (local.get $q) (local.get $nq))))
        (call $unpitch (local.get $plane)
          (i32.add (local.get $out)
            (i32.shl (i32.mul (i32.add (i32.mul (local.get $b) (local.get $oc)) (local.get $o))
                              (i32.mul (local.get $h) (local.get $w))) (i32.const 3)))
          (local.get $h) (local.get $w) (local.get $pw))
        (local.set $o (i32.add (local.get $o) (i32.const 1)))
        (br_if $channel (i32.lt_u (local.get $o) (local.get $oc))))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br_if $example (i32.lt_u (local.get $b) (local.get $batch)))))

  ;; conv_backward adds the kernel and bias gradients of a batch and, when
  ;; wantInput is non-zero, writes the gradient with respect to the input.
  ;;   padded   the padded input written by conv_forward
  ;;   grad     ∂L/∂out, batch × oc × h × w
  ;;   weight   oc × c × k × k;  gweight, gbias: gradients, added to
  ;;   gin      batch × c × h × w, written (when wantInput)
  ;;   gpad     scratch of oc·ph·pw + k + 8 values
  ;;   list     scratch of 2·h·w values
  ;;   plane    scratch of h·pw + 8 values
  ;;
  ;; Kernel gradient of example b, the Go path's mulAddTransB: for each
  ;; (o, tap) s = 0; s += g_o[q]·in_tap[q] over the outputs q in order; then
  ;; gweight += s. Here the outputs with g = ±0 are skipped (after ReLU and
  ;; max-pooling, most are): s starts at +0, and adding ±0 to +0 or to a
  ;; non-zero s leaves s unchanged, while no sum of non-zero products rounds
  ;; to −0, so s is never −0 and every skipped addition is a no-op. The bias
  ;; gradient, gbias += (0 + g_0 + g_1 + …), skips the same zeros. Lanes hold
  ;; neighbouring kx: a pair of taps reads one f64x2 of the padded input.
  ;;
  ;; Input gradient, the Go path's mulAddTransA + col2imAdd: each input
  ;; value is gin = 0; gin += t_tap over the taps in order, where t_tap is
  ;; Σ_o w_o,tap·g_o at the output that tap connects to, summed over o in
  ;; order. Go starts t from +0 and adds only taps whose output lies inside;
  ;; here t starts from the first product and taps into the zero border add
  ;; a t of ±0. Both only differ from Go by the sign of a zero t, and
  ;; gin + (±0) = gin because gin starts at +0 and is never −0 (same
  ;; argument as above), so the results are identical.
  (func (export "conv_backward")
    (param $padded i32) (param $grad i32) (param $weight i32) (param $gweight i32) (param $gbias i32)
    (param $gin i32) (param $gpad i32) (param $list i32) (param $plane i32)
    (param $batch i32) (param $c i32) (param $h i32) (param $w i32) (param $oc i32) (param $k i32)
    (param $wantInput i32)
    (local $p i32) (local $ph i32) (local $pw i32) (local $hw i32) (local $padBytes i32) (local $planeBytes i32)
    (local $b i32) (local $o i32) (local $ch i32) (local $ky i32) (local $kx i32) (local $kx0 i32)
    (local $y i32) (local $x i32) (local $src i32) (local $gp i32) (local $lp i32) (local $end i32)
    (local $at i32) (local $wp i32) (local $j i32) (local $q i32) (local $i i32)
    (local $v f64) (local $t f64)
    (local $g v128) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $wv v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $p (i32.shr_u (local.get $k) (i32.const 1)))
    (local.set $ph (i32.add (local.get $h) (i32.shl (local.get $p) (i32.const 1))))
    (local.set $pw (i32.add (local.get $w) (i32.shl (local.get $p) (i32.const 1))))
    (local.set $hw (i32.mul (local.get $h) (local.get $w)))
    (local.set $planeBytes (i32.shl (i32.mul (local.get $ph) (local.get $pw)) (i32.const 3)))
    (local.set $padBytes (i32.mul (local.get $c) (local.get $planeBytes)))
    (local.set $b (i32.const 0))
    (loop $example
      (local.set $src (i32.add (local.get $padded) (i32.mul (local.get $b) (local.get $padBytes))))
      ;; Kernel and bias gradients, one output channel at a time.
      (local.set $o (i32.const 0))
      (loop $channel
        ;; The non-zero gradients of this channel: (value, byte offset of
        ;; its output on the padded pitch), 16 bytes each.
        (local.set $gp (i32.add (local.get $grad)
          (i32.shl (i32.mul (i32.add (i32.mul (local.get $b) (local.get $oc)) (local.get $o)) (local.get $hw)) (i32.const 3))))
        (local.set $lp (local.get $list))
        (local.set $t (f64.const 0))
        (local.set $y (i32.const 0))
        (loop $gradRow
          (local.set $x (i32.const 0))
          (loop $gradCol
            (local.set $v (f64.load (local.get $gp)))
            (if (f64.ne (local.get $v) (f64.const 0))
              (then
                (local.set $t (f64.add (local.get $t) (local.get $v)))
                (f64.store (local.get $lp) (local.get $v))
                (i32.store offset=8 (local.get $lp)
                  (i32.shl (i32.add (i32.mul (local.get $y) (local.get $pw)) (local.get $x)) (i32.const 3)))
                (local.set $lp (i32.add (local.get $lp) (i32.const 16)))))
            (local.set $gp (i32.add (local.get $gp) (i32.const 8)))
            (local.set $x (i32.add (local.get $x) (i32.const 1)))
            (br_if $gradCol (i32.lt_u (local.get $x) (local.get $w))))
          (local.set $y (i32.add (local.get $y) (i32.const 1)))
          (br_if $gradRow (i32.lt_u (local.get $y) (local.get $h))))
        (local.set $end (local.get $lp))
        (local.set $at (i32.add (local.get $gbias) (i32.shl (local.get $o) (i32.const 3))))
        (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (local.get $t)))
        ;; For each input channel, kernel row and group of six kx (three
        ;; f64x2 lanes pairs), sum over the list.
        (local.set $wp (i32.add (local.get $gweight)
          (i32.shl (i32.mul (local.get $o) (i32.mul (local.get $c) (i32.mul (local.get $k) (local.get $k)))) (i32.const 3))))
        (local.set $ch (i32.const 0))
        (loop $inChannel
          (local.set $ky (i32.const 0))
          (loop $tapRow
            (local.set $kx0 (i32.const 0))
            (loop $tapGroup
              (local.set $at (i32.add (local.get $src)
                (i32.shl
                  (i32.add (i32.mul (i32.add (i32.mul (local.get $ch) (local.get $ph)) (local.get $ky)) (local.get $pw))
                           (local.get $kx0))
                  (i32.const 3))))
              (local.set $a0 (v128.const f64x2 0 0))
              (local.set $a1 (v128.const f64x2 0 0))
              (local.set $a2 (v128.const f64x2 0 0))
              (local.set $lp (local.get $list))
              (block $listDone
                (loop $entry
                  (br_if $listDone (i32.ge_u (local.get $lp) (local.get $end)))
                  (local.set $g (v128.load64_splat (local.get $lp)))
                  (local.set $i (i32.add (local.get $at) (i32.load offset=8 (local.get $lp))))
                  (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $g) (v128.load offset=0 (local.get $i)))))
                  (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $g) (v128.load offset=16 (local.get $i)))))
                  (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $g) (v128.load offset=32 (local.get $i)))))
                  (local.set $lp (i32.add (local.get $lp) (i32.const 16)))
                  (br $entry)))
              (v128.store offset=0 (local.get $plane) (local.get $a0))
              (v128.store offset=16 (local.get $plane) (local.get $a1))
              (v128.store offset=32 (local.get $plane) (local.get $a2))
              ;; gweight[o][ch][ky][kx0+j] += lane j, for the kx < k.
              (local.set $j (i32.const 0))
              (block $lanesDone
                (loop $lane
                  (br_if $lanesDone (i32.ge_u (i32.add (local.get $kx0) (local.get $j)) (local.get $k)))
                  (br_if $lanesDone (i32.ge_u (local.get $j) (i32.const 6)))
                  (local.set $i (i32.add (local.get $wp) (i32.shl (local.get $j) (i32.const 3))))
                  (f64.store (local.get $i) (f64.add (f64.load (local.get $i))
                    (f64.load (i32.add (local.get $plane) (i32.shl (local.get $j) (i32.const 3))))))
                  (local.set $j (i32.add (local.get $j) (i32.const 1)))
                  (br $lane)))
              (local.set $wp (i32.add (local.get $wp) (i32.shl (local.get $j) (i32.const 3))))
              (local.set $kx0 (i32.add (local.get $kx0) (i32.const 6)))
              (br_if $tapGroup (i32.lt_u (local.get $kx0) (local.get $k))))
            (local.set $ky (i32.add (local.get $ky) (i32.const 1)))
            (br_if $tapRow (i32.lt_u (local.get $ky) (local.get $k))))
          (local.set $ch (i32.add (local.get $ch) (i32.const 1)))
          (br_if $inChannel (i32.lt_u (local.get $ch) (local.get $c))))
        (local.set $o (i32.add (local.get $o) (i32.const 1)))
        (br_if $channel (i32.lt_u (local.get $o) (local.get $oc))))

      ;; Input gradient: gin_ch[q] = Σ_taps Σ_o w[o][ch][tap]·gpad_o[q + offset(tap)]
      ;; where the gradient planes are padded too and tap (ky, kx) of input
      ;; q reads the output at q + (2p−ky)·pw + (2p−kx).
      (if (local.get $wantInput)
        (then
          (call $pad_planes
            (i32.add (local.get $grad) (i32.shl (i32.mul (i32.mul (local.get $b) (local.get $oc)) (local.get $hw)) (i32.const 3)))
            (local.get $gpad) (local.get $oc) (local.get $h) (local.get $w) (local.get $p))
          (local.set $ch (i32.const 0))
          (loop $inChannel
            (local.set $q (i32.const 0))
            (loop $block
              (local.set $a0 (v128.const f64x2 0 0))
              (local.set $a1 (v128.const f64x2 0 0))
              (local.set $a2 (v128.const f64x2 0 0))
              (local.set $a3 (v128.const f64x2 0 0))
              (local.set $ky (i32.const 0))
              (loop $tapRow
                (local.set $kx (i32.const 0))
                (loop $tap
                  ;; First output channel.
                  (local.set $at (i32.add (local.get $gpad)
                    (i32.shl
                      (i32.add (local.get $q)
                        (i32.add
                          (i32.mul (i32.sub (i32.shl (local.get $p) (i32.const 1)) (local.get $ky)) (local.get $pw))
                          (i32.sub (i32.shl (local.get $p) (i32.const 1)) (local.get $kx))))
                      (i32.const 3))))
                  (local.set $wp (i32.add (local.get $weight)
                    (i32.shl
                      (i32.add (i32.mul (i32.add (i32.mul (local.get $ch) (local.get $k)) (local.get $ky)) (local.get $k))
                               (local.get $kx))
                      (i32.const 3))))
                  (local.set $wv (v128.load64_splat (local.get $wp)))
                  (local.set $t0 (f64x2.mul (local.get $wv) (v128.load offset=0 (local.get $at))))
                  (local.set $t1 (f64x2.mul (local.get $wv) (v128.load offset=16 (local.get $at))))
                  (local.set $t2 (f64x2.mul (local.get $wv) (v128.load offset=32 (local.get $at))))
                  (local.set $t3 (f64x2.mul (local.get $wv) (v128.load offset=48 (local.get $at))))
                  ;; The other output channels, in order.
                  (local.set $o (i32.const 1))
                  (block $channelsDone
                    (loop $channel
                      (br_if $channelsDone (i32.ge_u (local.get $o) (local.get $oc)))
                      (local.set $at (i32.add (local.get $at) (local.get $planeBytes)))
                      (local.set $wp (i32.add (local.get $wp)
                        (i32.shl (i32.mul (local.get $c) (i32.mul (local.get $k) (local.get $k))) (i32.const 3))))
                      (local.set $wv (v128.load64_splat (local.get $wp)))
                      (local.set $t0 (f64x2.add (local.get $t0) (f64x2.mul (local.get $wv) (v128.load offset=0 (local.get $at)))))
                      (local.set $t1 (f64x2.add (local.get $t1) (f64x2.mul (local.get $wv) (v128.load offset=16 (local.get $at)))))
                      (local.set $t2 (f64x2.add (local.get $t2) (f64x2.mul (local.get $wv) (v128.load offset=32 (local.get $at)))))
                      (local.set $t3 (f64x2.add (local.get $t3) (f64x2.mul (local.get $wv) (v128.load offset=48 (local.get $at)))))
                      (local.set $o (i32.add (local.get $o) (i32.const 1)))
                      (br $channel)))
                  (local.set $a0 (f64x2.add (local.get $a0) (local.get $t0)))
                  (local.set $a1 (f64x2.add (local.get $a1) (local.get $t1)))
                  (local.set $a2 (f64x2.add (local.get $a2) (local.get $t2)))
                  (local.set $a3 (f64x2.add (local.get $a3) (local.get $t3)))
                  (local.set $kx (i32.add (local.get $kx) (i32.const 1)))
                  (br_if $tap (i32.lt_u (local.get $kx) (local.get $k))))
                (local.set $ky (i32.add (local.get $ky) (i32.const 1)))
                (br_if $tapRow (i32.lt_u (local.get $ky) (local.get $k))))
              (local.set $at (i32.add (local.get $plane) (i32.shl (local.get $q) (i32.const 3))))
              (v128.store offset=0 (local.get $at) (local.get $a0))
              (v128.store offset=16 (local.get $at) (local.get $a1))
              (v128.store offset=32 (local.get $at) (local.get $a2))
              (v128.store offset=48 (local.get $at) (local.get $a3))
              (local.set $q (i32.add (local.get $q) (i32.const 8)))
              (br_if $block (i32.lt_u (local.get $q) (i32.mul (local.get $h) (local.get $pw)))))
            (call $unpitch (local.get $plane)
              (i32.add (local.get $gin)
                (i32.shl (i32.mul (i32.add (i32.mul (local.get $b) (local.get $c)) (local.get $ch)) (local.get $hw)) (i32.const 3)))
              (local.get $h) (local.get $w) (local.get $pw))
            (local.set $ch (i32.add (local.get $ch) (i32.const 1)))
            (br_if $inChannel (i32.lt_u (local.get $ch) (local.get $c))))))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br_if $example (i32.lt_u (local.get $b) (local.get $batch)))))

  ;; ---------------------------------------------------------------------
  ;; Dense

  ;; dense_forward: out[b] = bias + W·x[b] for a batch.
  ;;   x batch × n;  weight m × n;  bias m;  out batch × m
  ;;   scratch: n·m + m values (the transposed weights and one row of sums)
  ;; Go's mulAddTransB computes s = 0; s += x_i·w_i over i in order, then
  ;; out = bias + s. Here the weights are transposed first, so that the sums
  ;; of one example are neighbours and rows_axpy computes them with the
  ;; same additions, starting from a row of +0.
  (func (export "dense_forward")
    (param $x i32) (param $weight i32) (param $bias i32) (param $out i32) (param $scratch i32)
    (param $batch i32) (param $n i32) (param $m i32)
    (local $i i32) (local $j i32) (local $b i32) (local $sums i32) (local $from i32) (local $to i32)
    ;; scratch[i·m + j] = weight[j·n + i]
    (local.set $j (i32.const 0))
    (block $transposed
      (loop $row
        (br_if $transposed (i32.ge_u (local.get $j) (local.get $m)))
        (local.set $from (i32.add (local.get $weight) (i32.shl (i32.mul (local.get $j) (local.get $n)) (i32.const 3))))
        (local.set $to (i32.add (local.get $scratch) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $i (i32.const 0))
        (block $rowDone
          (loop $col
            (br_if $rowDone (i32.ge_u (local.get $i) (local.get $n)))
            (f64.store (local.get $to) (f64.load (local.get $from)))
            (local.set $from (i32.add (local.get $from) (i32.const 8)))
            (local.set $to (i32.add (local.get $to) (i32.shl (local.get $m) (i32.const 3))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $col)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $row)))
    (local.set $sums (i32.add (local.get $scratch) (i32.shl (i32.mul (local.get $n) (local.get $m)) (i32.const 3))))
    (block $done
      (loop $example
        (br_if $done (i32.ge_u (local.get $b) (local.get $batch)))
        (memory.fill (local.get $sums) (i32.const 0) (i32.shl (local.get $m) (i32.const 3)))
        (call $rows_axpy (local.get $sums) (local.get $m)
          (i32.add (local.get $x) (i32.shl (i32.mul (local.get $b) (local.get $n)) (i32.const 3))) (i32.const 8)
          (local.get $scratch) (i32.shl (local.get $m) (i32.const 3)) (local.get $n))
        (local.set $to (i32.add (local.get $out) (i32.shl (i32.mul (local.get $b) (local.get $m)) (i32.const 3))))
        (local.set $j (i32.const 0))
        (block $rowDone
          (loop $col
            (br_if $rowDone (i32.ge_u (local.get $j) (local.get $m)))
            (local.set $i (i32.shl (local.get $j) (i32.const 3)))
            (f64.store (i32.add (local.get $to) (local.get $i))
              (f64.add (f64.load (i32.add (local.get $bias) (local.get $i)))
                       (f64.load (i32.add (local.get $sums) (local.get $i)))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $col)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $example))))

  ;; dense_backward adds the weight and bias gradients of a batch and, when
  ;; wantInput is non-zero, writes the gradient with respect to the input.
  ;;   x batch × n;  weight m × n;  grad batch × m;  gweight m × n;  gbias m
  ;;   gin batch × n (written)
  ;; Go's order: gweight[j][i] += g[b][j]·x[b][i] over b in order (mulAddTransA),
  ;; gbias[j] += g[b][j] over b in order, gin[b][i] = 0 + Σ_j g[b][j]·w[j][i]
  ;; over j in order (mulAdd): each is one rows_axpy.
  (func (export "dense_backward")
    (param $x i32) (param $weight i32) (param $grad i32) (param $gweight i32) (param $gbias i32) (param $gin i32)
    (param $batch i32) (param $n i32) (param $m i32) (param $wantInput i32)
    (local $j i32) (local $b i32) (local $i i32) (local $row i32) (local $g i32) (local $to i32)
    (block $weightsDone
      (loop $unit
        (br_if $weightsDone (i32.ge_u (local.get $j) (local.get $m)))
        (call $rows_axpy
          (i32.add (local.get $gweight) (i32.shl (i32.mul (local.get $j) (local.get $n)) (i32.const 3))) (local.get $n)
          (i32.add (local.get $grad) (i32.shl (local.get $j) (i32.const 3))) (i32.shl (local.get $m) (i32.const 3))
          (local.get $x) (i32.shl (local.get $n) (i32.const 3)) (local.get $batch))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $unit)))
    ;; gbias[j] += g[b][j], b in order.
    (block $biasDone
      (loop $example
        (br_if $biasDone (i32.ge_u (local.get $b) (local.get $batch)))
        (local.set $row (i32.add (local.get $grad) (i32.shl (i32.mul (local.get $b) (local.get $m)) (i32.const 3))))
        (local.set $j (i32.const 0))
        (block $rowDone
          (loop $col
            (br_if $rowDone (i32.ge_u (local.get $j) (local.get $m)))
            (local.set $i (i32.shl (local.get $j) (i32.const 3)))
            (local.set $to (i32.add (local.get $gbias) (local.get $i)))
            (f64.store (local.get $to)
              (f64.add (f64.load (local.get $to)) (f64.load (i32.add (local.get $row) (local.get $i)))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $col)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $example)))
    (if (local.get $wantInput)
      (then
        (memory.fill (local.get $gin) (i32.const 0)
          (i32.shl (i32.mul (local.get $batch) (local.get $n)) (i32.const 3)))
        (local.set $b (i32.const 0))
        (block $inputDone
          (loop $example
            (br_if $inputDone (i32.ge_u (local.get $b) (local.get $batch)))
            (call $rows_axpy
              (i32.add (local.get $gin) (i32.shl (i32.mul (local.get $b) (local.get $n)) (i32.const 3))) (local.get $n)
              (i32.add (local.get $grad) (i32.shl (i32.mul (local.get $b) (local.get $m)) (i32.const 3))) (i32.const 8)
              (local.get $weight) (i32.shl (local.get $n) (i32.const 3)) (local.get $m))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br $example))))))

  ;; ---------------------------------------------------------------------
  ;; ReLU

  ;; relu_forward: out = max(in, 0) over n values. f64.max, like Go's max,
  ;; gives +0 for −0 and NaN for NaN.
  (func (export "relu_forward") (param $in i32) (param $out i32) (param $n i32)
    (local $i i32) (local $at i32)
    (block $pairsDone
      (loop $pair
        (br_if $pairsDone (i32.gt_u (i32.add (local.get $i) (i32.const 2)) (local.get $n)))
        (local.set $at (i32.shl (local.get $i) (i32.const 3)))
        (v128.store (i32.add (local.get $out) (local.get $at))
          (f64x2.max (v128.load (i32.add (local.get $in) (local.get $at))) (v128.const f64x2 0 0)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $pair)))
    (if (i32.lt_u (local.get $i) (local.get $n))
      (then
        (local.set $at (i32.shl (local.get $i) (i32.const 3)))
        (f64.store (i32.add (local.get $out) (local.get $at))
          (f64.max (f64.load (i32.add (local.get $in) (local.get $at))) (f64.const 0))))))

  ;; relu_backward: gin = gout where out > 0, else +0, over n values.
  (func (export "relu_backward") (param $out i32) (param $gout i32) (param $gin i32) (param $n i32)
    (local $i i32) (local $at i32)
    (block $pairsDone
      (loop $pair
        (br_if $pairsDone (i32.gt_u (i32.add (local.get $i) (i32.const 2)) (local.get $n)))
        (local.set $at (i32.shl (local.get $i) (i32.const 3)))
        (v128.store (i32.add (local.get $gin) (local.get $at))
          (v128.and
            (f64x2.gt (v128.load (i32.add (local.get $out) (local.get $at))) (v128.const f64x2 0 0))
            (v128.load (i32.add (local.get $gout) (local.get $at)))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $pair)))
    (if (i32.lt_u (local.get $i) (local.get $n))
      (then
        (local.set $at (i32.shl (local.get $i) (i32.const 3)))
        (f64.store (i32.add (local.get $gin) (local.get $at))
          (select
            (f64.load (i32.add (local.get $gout) (local.get $at)))
            (f64.const 0)
            (f64.gt (f64.load (i32.add (local.get $out) (local.get $at))) (f64.const 0)))))))

  ;; ---------------------------------------------------------------------
  ;; Max pooling, 2×2, stride 2

  ;; pool_forward: each output is the largest of its window, compared in
  ;; reading order with ">" (ties and NaN keep the earlier value, as in Go);
  ;; argmax (int32) gets its offset within the example.
  ;;   in batch × c × h × w (h, w even);  out, argmax batch × c × h/2 × w/2
  (func (export "pool_forward") (param $in i32) (param $out i32) (param $argmax i32)
    (param $batch i32) (param $c i32) (param $h i32) (param $w i32)
    (local $planes i32) (local $pl i32) (local $y i32) (local $x i32) (local $oh i32) (local $ow i32)
    (local $base i32) (local $i i32) (local $at i32) (local $best f64) (local $v f64)
    (local $inSize i32) (local $rowBase i32)
    (local.set $oh (i32.shr_u (local.get $h) (i32.const 1)))
    (local.set $ow (i32.shr_u (local.get $w) (i32.const 1)))
    (local.set $inSize (i32.mul (local.get $c) (i32.mul (local.get $h) (local.get $w))))
    (local.set $planes (i32.mul (local.get $batch) (local.get $c)))
    (block $done
      (loop $plane
        (br_if $done (i32.ge_u (local.get $pl) (local.get $planes)))
        ;; Offset of this plane within its example, in values.
        (local.set $base (i32.mul (i32.rem_u (local.get $pl) (local.get $c)) (i32.mul (local.get $h) (local.get $w))))
        (local.set $rowBase (i32.mul (i32.div_u (local.get $pl) (local.get $c)) (local.get $inSize)))
        (local.set $y (i32.const 0))
        (block $rowsDone
          (loop $row
            (br_if $rowsDone (i32.ge_u (local.get $y) (local.get $oh)))
            (local.set $x (i32.const 0))
            (block $colsDone
              (loop $col
                (br_if $colsDone (i32.ge_u (local.get $x) (local.get $ow)))
                (local.set $i (i32.add (local.get $base)
                  (i32.add (i32.mul (i32.shl (local.get $y) (i32.const 1)) (local.get $w)) (i32.shl (local.get $x) (i32.const 1)))))
                (local.set $at (local.get $i))
                (local.set $best (f64.load (i32.add (local.get $in) (i32.shl (i32.add (local.get $rowBase) (local.get $i)) (i32.const 3)))))
                ;; top-right
                (local.set $v (f64.load offset=8 (i32.add (local.get $in) (i32.shl (i32.add (local.get $rowBase) (local.get $i)) (i32.const 3)))))
                (if (f64.gt (local.get $v) (local.get $best))
                  (then (local.set $best (local.get $v)) (local.set $at (i32.add (local.get $i) (i32.const 1)))))
                ;; bottom-left, bottom-right
                (local.set $i (i32.add (local.get $i) (local.get $w)))
                (local.set $v (f64.load (i32.add (local.get $in) (i32.shl (i32.add (local.get $rowBase) (local.get $i)) (i32.const 3)))))
                (if (f64.gt (local.get $v) (local.get $best))
                  (then (local.set $best (local.get $v)) (local.set $at (local.get $i))))
                (local.set $v (f64.load offset=8 (i32.add (local.get $in) (i32.shl (i32.add (local.get $rowBase) (local.get $i)) (i32.const 3)))))
                (if (f64.gt (local.get $v) (local.get $best))
                  (then (local.set $best (local.get $v)) (local.set $at (i32.add (local.get $i) (i32.const 1)))))
                (f64.store (local.get $out) (local.get $best))
                (i32.store (local.get $argmax) (local.get $at))
                (local.set $out (i32.add (local.get $out) (i32.const 8)))
                (local.set $argmax (i32.add (local.get $argmax) (i32.const 4)))
                (local.set $x (i32.add (local.get $x) (i32.const 1)))
                (br $col)))
            (local.set $y (i32.add (local.get $y) (i32.const 1)))
            (br $row)))
        (local.set $pl (i32.add (local.get $pl) (i32.const 1)))
        (br $plane))))

  ;; pool_backward: gin = 0, then gin[argmax] += gout for each output
  ;; (as in Go: the add turns a −0 gradient into +0).
  ;;   gout, argmax: batch × outSize;  gin: batch × inSize (written)
  (func (export "pool_backward") (param $gout i32) (param $argmax i32) (param $gin i32)
    (param $batch i32) (param $inSize i32) (param $outSize i32)
    (local $b i32) (local $o i32) (local $base i32) (local $at i32)
    (memory.fill (local.get $gin) (i32.const 0)
      (i32.shl (i32.mul (local.get $batch) (local.get $inSize)) (i32.const 3)))
    (block $done
      (loop $example
        (br_if $done (i32.ge_u (local.get $b) (local.get $batch)))
        (local.set $base (i32.add (local.get $gin)
          (i32.shl (i32.mul (local.get $b) (local.get $inSize)) (i32.const 3))))
        (local.set $o (i32.const 0))
        (block $rowDone
          (loop $output
            (br_if $rowDone (i32.ge_u (local.get $o) (local.get $outSize)))
            (local.set $at (i32.add (local.get $base) (i32.shl (i32.load (local.get $argmax)) (i32.const 3))))
            (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (f64.load (local.get $gout))))
            (local.set $gout (i32.add (local.get $gout) (i32.const 8)))
            (local.set $argmax (i32.add (local.get $argmax) (i32.const 4)))
            (local.set $o (i32.add (local.get $o) (i32.const 1)))
            (br $output)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $example))))
)
