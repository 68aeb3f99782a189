import {
  createComment,
  createCommentInput,
  deleteComment,
  deleteCommentInput,
  editComment,
  editCommentInput,
  listComments,
  listCommentsInput,
} from "../../services/collaboration/comments";
import { projectProcedure, router } from "../trpc";

export const commentRouter = router({
  list: projectProcedure("project.read")
    .input(listCommentsInput)
    .query(({ ctx, input }) => listComments({ ctx, input })),
  create: projectProcedure("comment.write")
    .input(createCommentInput)
    .mutation(({ ctx, input }) => createComment({ ctx, input })),
  /** Authors edit and delete their own comments; `comment.moderate` lets maintainers change anyone's. */
  edit: projectProcedure("comment.write")
    .input(editCommentInput)
    .mutation(({ ctx, input }) => editComment({ ctx, input })),
  delete: projectProcedure("comment.write")
    .input(deleteCommentInput)
    .mutation(({ ctx, input }) => deleteComment({ ctx, input })),
});
